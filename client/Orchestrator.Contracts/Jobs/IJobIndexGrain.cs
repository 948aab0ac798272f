using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// The list of all jobs (key <c>default</c>), for listing without scanning storage. The lines live on pages of a
/// bounded number of jobs (<see cref="IJobIndexPageGrain"/>, each its own record), so a job's save rewrites one page,
/// not the whole list; this grain only hands out places on the pages and merges them for listing.
/// </summary>
public interface IJobIndexGrain : IGrainWithStringKey
{
    /// <summary>The page that lists <paramref name="jobId"/>: a new job gets a place on the newest page (a new page when it is full).</summary>
    [Access(AccessScope.Internal)]
    Task<int> AssignPageAsync(string jobId);

    /// <summary>Every job, newest first.</summary>
    [Access(AccessScope.OwnJobList)]
    Task<IReadOnlyList<JobSummary>> ListAsync();
}
