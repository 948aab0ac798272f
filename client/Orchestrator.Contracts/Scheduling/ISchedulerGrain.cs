using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// The scheduler (key <c>default</c>): queues, priorities, the free-capacity index, gang placement, backfill and
/// preemption. It tells job grains to start or stop with one-way calls and never waits on them.
/// </summary>
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Queues a job (or requeues it after an attempt ended) and runs a scheduling pass.</summary>
    Task EnqueueAsync(QueuedJob job);

    /// <summary>Forgets a job: drops it from the queue and frees any devices it holds.</summary>
    Task RemoveAsync(string jobId);

    /// <summary>An attempt ended: free the job's devices and run a pass.</summary>
    Task ReleaseAsync(string jobId, int attempt);

    /// <summary>Runs one scheduling pass now.</summary>
    Task RunPassAsync();

    /// <summary>The queues and the jobs holding devices.</summary>
    Task<QueueView> GetQueueAsync();

    /// <summary>The topology tree with allocation and health.</summary>
    Task<ClusterView> GetClusterViewAsync();

    /// <summary>A device's health changed (pushed by its GPU grain).</summary>
    Task DeviceHealthChangedAsync(string deviceId, GpuHealth health);

    /// <summary>The inventory changed: rebuild the index.</summary>
    Task InventoryChangedAsync();

    /// <summary>
    /// True when the scheduler holds the job, waiting or with devices; a job grain that should be queued but is not
    /// (a crash between its save and its enqueue) queues itself again.
    /// </summary>
    Task<bool> TracksAsync(string jobId);
}
