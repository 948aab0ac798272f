using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// All ranks of a grid in one process, each on its own thread, communicating through shared memory. This is the
/// embedded default: a worker process hosts all ranks of its node.
/// </summary>
public sealed class InProcessWorld : IRankWorld
{
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
        var kinds = GridGroups.Of(grid);
        var communicators = kinds.Select((members, k) =>
        {
            var byRank = new ICommunicator[grid.WorldSize];
            foreach (var list in members.Distinct())
            {
                var group = new InProcessGroup(GridGroups.NameOf(GridGroups.Kinds[k], list), list, state);
                for (var i = 0; i < list.Count; i++)
                {
                    byRank[list[i]] = new InProcessCommunicator(group, i);
                }
            }

            return byRank;
        }).ToList();
        ranks = Enumerable.Range(0, grid.WorldSize).Select(r => GridGroups.Assemble(grid, r, communicators.Select(c => c[r]).ToList())).ToArray();
        LocalRanks = Enumerable.Range(0, grid.WorldSize).ToList();
    }

    /// <summary>The grid.</summary>
    public ParallelGrid Grid { get; }

    /// <summary>Every rank of the grid.</summary>
    public IReadOnlyList<int> LocalRanks { get; }

    /// <summary>The groups of world rank <paramref name="rank"/>.</summary>
    public ProcessGroups GroupsOf(int rank) => ranks[rank];

    /// <summary>
    /// Runs <paramref name="body"/> for every rank on its own thread and returns the results by world rank. If a rank
    /// throws, the others are woken from their collectives and the first failure is rethrown.
    /// </summary>
    public T[] Run<T>(Func<ProcessGroups, T> body)
    {
        var results = new T[ranks.Length];
        RankThreads.Run(ranks, state, results, body, abandonAfter: null);
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

    /// <summary>Nothing to release: the groups live in memory.</summary>
    public void Dispose()
    {
    }
}
