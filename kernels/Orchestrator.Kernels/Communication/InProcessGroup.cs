using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The state one group's members share in memory: a slot per member for collective contributions, a barrier, and
/// mailboxes for point-to-point messages. A collective is two barrier phases: everyone deposits, everyone reads every
/// slot and computes the result itself (in the same order, so all members get bit-identical results), everyone
/// leaves, and only then may a slot be reused.
/// </summary>
internal sealed class InProcessGroup
{
    private readonly object?[] slots;
    private readonly Barrier barrier;
    private readonly ConcurrentDictionary<(int Source, int Destination, int Tag), BlockingCollection<Tensor>> mailboxes = new();
    private readonly InProcessWorldState world;

    public InProcessGroup(string name, IReadOnlyList<int> globalRanks, InProcessWorldState world)
    {
        Name = name;
        GlobalRanks = globalRanks;
        this.world = world;
        slots = new object?[globalRanks.Count];
        barrier = new Barrier(globalRanks.Count);
    }

    public string Name { get; }

    public IReadOnlyList<int> GlobalRanks { get; }

    public int Size => slots.Length;

    /// <summary>Deposits <paramref name="contribution"/>, waits for all members, and combines all deposits.</summary>
    public T Exchange<T>(int member, object contribution, string operation, Func<IReadOnlyList<object>, T> combine)
    {
        if (Size == 1)
        {
            return combine([contribution]);
        }

        slots[member] = contribution;
        Meet(operation);
        T result;
        try
        {
            result = combine(slots!);
        }
        finally
        {
            // Nobody may overwrite a slot until every member has read all of them.
            Meet(operation);
        }

        slots[member] = null;
        return result;
    }

    public void Meet(string operation)
    {
        bool met;
        try
        {
            met = barrier.SignalAndWait(world.Timeout, world.Aborted);
        }
        catch (OperationCanceledException)
        {
            throw world.AbortException(Name, operation);
        }

        if (!met)
        {
            var error = new TimeoutException(
                $"{operation} on group {Name} (world ranks {string.Join(",", GlobalRanks)}) did not complete within {world.Timeout}: " +
                "a member never called it (mismatched collectives or a deadlocked schedule).");
            world.Abort(error);
            throw error;
        }
    }

    public void Post(int source, int destination, int tag, Tensor message) =>
        Mailbox(source, destination, tag).Add(message);

    public Tensor Take(int source, int destination, int tag, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(world.Aborted, cancellationToken);
        try
        {
            if (Mailbox(source, destination, tag).TryTake(out var message, (int)world.Timeout.TotalMilliseconds, either.Token))
            {
                return message;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw world.AbortException(Name, $"Receive from member {source}");
        }

        var error = new TimeoutException(
            $"Receive on group {Name}: member {destination} waited {world.Timeout} for member {source} (tag {tag}), which never sent.");
        world.Abort(error);
        throw error;
    }

    private BlockingCollection<Tensor> Mailbox(int source, int destination, int tag) =>
        mailboxes.GetOrAdd((source, destination, tag), _ => new BlockingCollection<Tensor>());
}
