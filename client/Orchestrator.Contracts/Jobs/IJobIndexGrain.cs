using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>The list of all jobs (key <c>default</c>), for listing without scanning storage.</summary>
public interface IJobIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds or refreshes a job's line.</summary>
    [Access(AccessScope.Internal)]
    Task UpsertAsync(JobSummary summary);

    /// <summary>Every job, newest first.</summary>
    [Access(AccessScope.OwnJobList)]
    Task<IReadOnlyList<JobSummary>> ListAsync();
}
