using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// The scheduler (key <c>default</c>): queues, priorities, the free-capacity index, gang placement, backfill and
/// preemption. It tells job grains to start or stop with one-way calls and never waits on them.
/// </summary>
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Queues a job (or requeues it after an attempt ended) and runs a scheduling pass.</summary>
    [Access(AccessScope.Internal)]
    Task EnqueueAsync(QueuedJob job);

    /// <summary>Forgets a job: drops it from the queue and frees any devices it holds.</summary>
    [Access(AccessScope.Internal)]
    Task RemoveAsync(string jobId);

    /// <summary>An attempt ended: free the job's devices and run a pass.</summary>
    [Access(AccessScope.Internal)]
    Task ReleaseAsync(string jobId, int attempt);

    /// <summary>Runs one scheduling pass now.</summary>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task RunPassAsync();

    /// <summary>The queues and the jobs holding devices.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<QueueView> GetQueueAsync();

    /// <summary>The topology tree with allocation and health.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<ClusterView> GetClusterViewAsync();

    /// <summary>A device's health changed (pushed by its GPU grain).</summary>
    [Access(AccessScope.Internal)]
    Task DeviceHealthChangedAsync(string deviceId, GpuHealth health);

    /// <summary>The inventory changed: rebuild the index.</summary>
    [Access(AccessScope.Internal)]
    Task InventoryChangedAsync();

    /// <summary>
    /// True when the scheduler holds the job, waiting or with devices; a job grain that should be queued but is not
    /// (a crash between its save and its enqueue) queues itself again.
    /// </summary>
    [Access(AccessScope.Internal)]
    Task<bool> TracksAsync(string jobId);

    /// <summary>The queue or priority-class documents changed (pushed by the queue registry): use them from the next pass.</summary>
    [Access(AccessScope.Internal)]
    Task DocumentsChangedAsync(SchedulingDocuments documents);
}
