using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>One page of the job index, keyed by its number (<c>0</c>, <c>1</c>, ...): the lines of the jobs placed on it.</summary>
public interface IJobIndexPageGrain : IGrainWithStringKey
{
    /// <summary>Adds or refreshes a job's line.</summary>
    [Access(AccessScope.Internal)]
    Task UpsertAsync(JobSummary summary);

    /// <summary>Removes a job's line (the job was deleted or expired).</summary>
    [Access(AccessScope.Internal)]
    Task RemoveAsync(string jobId);

    /// <summary>The lines on this page, in no particular order.</summary>
    [Access(AccessScope.Internal)]
    Task<IReadOnlyList<JobSummary>> ListAsync();
}
