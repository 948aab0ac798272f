namespace Orchestrator.Contracts.Jobs;

/// <summary>No job has the given id.</summary>
[GenerateSerializer]
public sealed class JobNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="jobId"/>.</summary>
    public JobNotFoundException(string jobId)
        : base($"job '{jobId}' not found") => JobId = jobId;

    /// <summary>The id asked for.</summary>
    [Id(0)]
    public string JobId { get; private set; }
}
