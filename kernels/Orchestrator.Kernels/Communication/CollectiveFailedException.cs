namespace Orchestrator.Kernels.Communication;

/// <summary>A collective or point-to-point call across processes failed: a peer died, stopped answering, or rendezvous failed.</summary>
public sealed class CollectiveFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CollectiveFailedException()
    {
    }

    /// <summary>Creates the exception with a message naming the group and the peers.</summary>
    public CollectiveFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CollectiveFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The collective failure <paramref name="error"/> is or carries at any depth (as a cause, or inside an
    /// <see cref="AggregateException"/>), or null. A peer's death reaches a process's ranks by several paths at once
    /// (the rank whose call failed, ranks woken from in-process waits with an <see cref="OperationCanceledException"/>
    /// whose cause is the failure, helper threads), and which of them surfaces first is a race: callers classify a
    /// failure by what it carries, not by its outermost type.
    /// </summary>
    public static CollectiveFailedException? FindIn(Exception? error)
    {
        var pending = new Queue<Exception>();
        if (error is not null) pending.Enqueue(error);
        // Bounded: an exception graph is a tree in practice, but nothing forbids a cycle.
        for (var seen = 0; pending.Count > 0 && seen < 64; seen++)
        {
            var current = pending.Dequeue();
            if (current is CollectiveFailedException failed) return failed;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions) pending.Enqueue(inner);
            }
            else if (current.InnerException is { } cause)
            {
                pending.Enqueue(cause);
            }
        }

        return null;
    }
}
