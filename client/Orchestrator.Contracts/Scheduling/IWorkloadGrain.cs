using Orleans.Concurrency;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// What the scheduler places and the execution backend runs: a training job, or an evaluation shard. The scheduler
/// starts, preempts and wakes it; the backend reports its workers' exits. Which grain kind is called is named by
/// <see cref="QueuedJob.Kind"/>.
/// </summary>
public interface IWorkloadGrain : IGrainWithStringKey
{
    /// <summary>The scheduler placed the workload: start attempt <c>n+1</c> with this plan and placement.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task StartAttemptAsync(JobPlan plan, IReadOnlyList<PlacedRank> ranks);

    /// <summary>The scheduler needs the devices back for a higher-priority workload: stop and requeue.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task PreemptAsync(string reason);

    /// <summary>A device of the running attempt was marked failed: end the attempt and recover elsewhere.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task DeviceFailedAsync(string deviceId);

    /// <summary>Makes sure the grain is active so its supervision timer runs (sent by the scheduler after a restart).</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task WakeAsync();

    /// <summary>A worker process of <paramref name="attempt"/> ended (reported by its launcher).</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task ReportWorkerExitAsync(int attempt, WorkerExit exit);
}
