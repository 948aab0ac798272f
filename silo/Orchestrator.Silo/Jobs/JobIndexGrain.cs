using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Jobs;

/// <summary>The list of every job, kept up to date by the job grains, so listing never scans storage.</summary>
internal sealed class JobIndexGrain(
    [PersistentState("jobIndex", StorageNames.Durable)] IPersistentState<JobIndexRecord> store) : Grain, IJobIndexGrain
{
    public async Task UpsertAsync(JobSummary summary)
    {
        store.State.Jobs[summary.Id] = summary;
        await store.WriteStateAsync();
    }

    public Task<IReadOnlyList<JobSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<JobSummary>>(store.State.Jobs.Values.OrderByDescending(j => j.SubmittedAt).ToList());
}
