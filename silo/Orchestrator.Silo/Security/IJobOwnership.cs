namespace Orchestrator.Silo.Security;

/// <summary>Implemented by the job grain: who submitted the job. The access filter reads it in the grain's own turn.</summary>
internal interface IJobOwnership
{
    /// <summary>The submitting user; null when the job does not exist or was submitted without authentication.</summary>
    string? Owner { get; }

    /// <summary>Records the submitter of a job about to be submitted; ignored once the job exists.</summary>
    void Claim(string user);
}
