using System.Runtime.ExceptionServices;
using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// All ranks of a grid in one process, each on its own thread, communicating through shared memory. This is the
/// embedded default: a worker process hosts all ranks of its node.
/// </summary>
public sealed class InProcessWorld
{
    // Autograd over deep models recurses on the calling thread; the default secondary-thread stack is tight.
    private const int RankStackBytes = 16 * 1024 * 1024;
    private readonly InProcessWorldState state;
    private readonly ProcessGroups[] ranks;

    /// <summary>Creates the groups of <paramref name="grid"/>.</summary>
    /// <param name="grid">The grid; validated.</param>
    /// <param name="timeout">How long a collective or receive may wait before the world is declared deadlocked; 2 minutes when null.</param>
    public InProcessWorld(ParallelGrid grid, TimeSpan? timeout = null)
    {
        Grid = grid.Validate();
        TorchRuntime.EnsureLoaded();
        state = new InProcessWorldState(timeout ?? TimeSpan.FromMinutes(2));
        var world = Enumerable.Range(0, grid.WorldSize).ToList();
        var coordinates = world.Select(grid.CoordinatesOf).ToList();

        // Each partition maps a rank to the key of its group; members are ordered by world rank.
        var tensor = Partition("tensor", r => (coordinates[r].Pipeline, coordinates[r].Data, 0));
        var pipeline = Partition("pipeline", r => (coordinates[r].Tensor, coordinates[r].Data, 0));
        var data = Partition("data", r => (coordinates[r].Tensor, coordinates[r].Pipeline, 0));
        var modelParallel = Partition("model-parallel", r => (coordinates[r].Data, 0, 0));
        var expertSize = grid.ExpertParallelSize;
        var expert = Partition("expert", r => (coordinates[r].Tensor, coordinates[r].Pipeline, coordinates[r].Data / expertSize));
        var expertData = Partition("expert-data", r => (coordinates[r].Tensor, coordinates[r].Pipeline, coordinates[r].Data % expertSize));
        var all = Partition("world", _ => (0, 0, 0));
        var last = grid.PipelineParallelSize - 1;
        var embedding = Partition(
            "embedding",
            r => coordinates[r].Pipeline == 0 || coordinates[r].Pipeline == last
                ? (coordinates[r].Tensor, coordinates[r].Data, -1)
                : (coordinates[r].Tensor, coordinates[r].Data, coordinates[r].Pipeline));

        ranks = world.Select(r => new ProcessGroups(
            grid, r, all[r], tensor[r], pipeline[r], data[r], modelParallel[r], expert[r], expertData[r], embedding[r])).ToArray();

        ICommunicator[] Partition(string kind, Func<int, (int, int, int)> key)
        {
            var communicators = new ICommunicator[grid.WorldSize];
            foreach (var members in world.GroupBy(key))
            {
                var list = members.OrderBy(r => r).ToList();
                var group = new InProcessGroup($"{kind}[{string.Join(",", list)}]", list, state);
                for (var i = 0; i < list.Count; i++)
                {
                    communicators[list[i]] = new InProcessCommunicator(group, i);
                }
            }

            return communicators;
        }
    }

    /// <summary>The grid.</summary>
    public ParallelGrid Grid { get; }

    /// <summary>The groups of world rank <paramref name="rank"/>.</summary>
    public ProcessGroups GroupsOf(int rank) => ranks[rank];

    /// <summary>
    /// Runs <paramref name="body"/> for every rank on its own thread and returns the results by world rank. If a rank
    /// throws, the others are woken from their collectives and the first failure is rethrown.
    /// </summary>
    public T[] Run<T>(Func<ProcessGroups, T> body)
    {
        var results = new T[ranks.Length];
        var failures = new Exception?[ranks.Length];
        var threads = ranks.Select(groups => new Thread(() =>
        {
            try
            {
                results[groups.GlobalRank] = body(groups);
            }
            catch (Exception e)
            {
                failures[groups.GlobalRank] = e;
                state.Abort(e);
            }
        }, RankStackBytes)
        {
            IsBackground = true,
            Name = $"rank {groups.GlobalRank}",
        }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        // Prefer the root cause over the ranks that were merely woken by the abort.
        var root = failures.FirstOrDefault(e => e is not null and not OperationCanceledException) ?? failures.FirstOrDefault(e => e is not null);
        if (root is not null)
        {
            ExceptionDispatchInfo.Capture(root).Throw();
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every rank as <see cref="Run{T}(Func{ProcessGroups, T})"/> does; the token given to
    /// the body fires when <paramref name="cancellationToken"/> does or another rank fails, and cancellation also wakes
    /// ranks blocked in collectives (the world is then spent, as after any failure).
    /// </summary>
    public T[] Run<T>(Func<ProcessGroups, CancellationToken, T> body, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => state.Abort(new OperationCanceledException(cancellationToken)));
        var results = Run(groups => body(groups, state.Aborted));
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    /// <summary>Runs <paramref name="body"/> for every rank on its own thread (see <see cref="Run{T}(Func{ProcessGroups, T})"/>).</summary>
    public void Run(Action<ProcessGroups> body) => Run(groups =>
    {
        body(groups);
        return true;
    });
}
