using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Jobs;

/// <summary>One page of the job index: at most <see cref="JobRetentionOptions.IndexPageSize"/> jobs' lines, one record.</summary>
internal sealed class JobIndexPageGrain(
    [PersistentState("jobIndexPage", StorageNames.Durable)] IPersistentState<JobIndexPageRecord> store) : Grain, IJobIndexPageGrain
{
    public async Task UpsertAsync(JobSummary summary)
    {
        store.State.Jobs[summary.Id] = summary;
        await store.WriteStateAsync();
    }

    public async Task RemoveAsync(string jobId)
    {
        if (store.State.Jobs.Remove(jobId)) await store.WriteStateAsync();
    }

    public Task<IReadOnlyList<JobSummary>> ListAsync() => Task.FromResult<IReadOnlyList<JobSummary>>(store.State.Jobs.Values.ToList());
}
