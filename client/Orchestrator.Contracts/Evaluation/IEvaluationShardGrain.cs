using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// One evaluation shard, keyed by "run/shard": its instance range, attempts and progress. Queued at the scheduler like
/// a training job (<see cref="IWorkloadGrain"/>), launched as a worker, retried on its own up to the spec's
/// <c>shardAttempts</c> without failing the run.
/// </summary>
public interface IEvaluationShardGrain : IWorkloadGrain
{
    /// <summary>Records the shard's work and queues it (from its run grain). A shard already given work ignores this.</summary>
    [Access(AccessScope.Internal)]
    Task StartAsync(EvaluationShardWork work);

    /// <summary>The shard, or null before its run gave it work.</summary>
    [Access(AccessScope.Role, Role.Operator)]
    Task<EvaluationShardView?> GetAsync();

    /// <summary>Stops the shard's worker and forgets it at the scheduler.</summary>
    [Access(AccessScope.Internal)]
    Task CancelAsync(string reason);

    /// <summary>A worker of <paramref name="attempt"/> finished an instance (also its heartbeat).</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportProgressAsync(int attempt, ShardProgress progress);

    /// <summary>A worker of <paramref name="attempt"/> has results for every instance of the range.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportCompletedAsync(int attempt, ShardProgress progress);
}
