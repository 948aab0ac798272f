namespace Orchestrator.Planning.Search;

/// <summary>No layout can run the job on the GPUs given (every candidate was rejected); the message says why.</summary>
public sealed class PlanningException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was tried and why nothing fits.</param>
    /// <param name="rejectionCounts">Candidates rejected, by reason.</param>
    public PlanningException(string message, IReadOnlyDictionary<string, int> rejectionCounts)
        : base(message)
    {
        RejectionCounts = rejectionCounts;
    }

    /// <summary>Candidates rejected, by <see cref="RejectionReason"/> name.</summary>
    public IReadOnlyDictionary<string, int> RejectionCounts { get; }
}
