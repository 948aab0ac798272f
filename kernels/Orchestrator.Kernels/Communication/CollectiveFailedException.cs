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
}
