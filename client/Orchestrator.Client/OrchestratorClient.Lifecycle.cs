using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client;

/// <summary>Suspending, resuming and deleting jobs.</summary>
public sealed partial class OrchestratorClient
{
    /// <summary>
    /// Suspends a job: its running attempt checkpoints (when its workers can) and stops, its devices are released, and it
    /// waits in <see cref="JobState.Suspended"/> until resumed. Suspending does not use the restart budget.
    /// </summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    /// <exception cref="InvalidOperationException">The job has finished.</exception>
    public Task<JobView> SuspendAsync(string jobId, string reason = "suspended by user", CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).SuspendAsync(reason);
    }

    /// <summary>Queues a suspended job again; its next attempt restores its newest checkpoint.</summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    /// <exception cref="InvalidOperationException">The job has finished, or is still checkpointing to suspend.</exception>
    public Task<JobView> ResumeAsync(string jobId, string reason = "resumed by user", CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).ResumeAsync(reason);
    }

    /// <summary>Removes a finished job (its record, listing and worker logs); <paramref name="force"/> cancels an unfinished one first.</summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    /// <exception cref="InvalidOperationException">The job has not finished and <paramref name="force"/> is false.</exception>
    public Task DeleteAsync(string jobId, bool force = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).DeleteAsync(force);
    }
}
