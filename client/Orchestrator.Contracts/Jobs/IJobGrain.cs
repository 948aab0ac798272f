using Orleans.Concurrency;
using Orchestrator.Contracts.Workers;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// One job, keyed by job id: its lifecycle state machine, events, attempts, plan, placement and progress.
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Stores a validated spec (Pending) and queues the job. Fails if the id is taken.</summary>
    [Access(AccessScope.Submit, Audited = true)]
    Task<JobView> SubmitAsync(TrainingJobSpec spec);

    /// <summary>The job, or null when no job has this id.</summary>
    [Access(AccessScope.OwnJob)]
    Task<JobView?> GetAsync();

    /// <summary>Events after <paramref name="afterSequence"/>, the latest progress and state.</summary>
    [Access(AccessScope.OwnJob)]
    Task<JobUpdates> GetUpdatesAsync(long afterSequence);

    /// <summary>Cancels the job in any state; a no-op on a finished job. Throws when no job has this id.</summary>
    [Access(AccessScope.OwnJob, Audited = true)]
    Task<JobView> CancelAsync(string reason);

    /// <summary>The scheduler placed the job: start attempt <c>n+1</c> with this plan and placement.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task StartAttemptAsync(JobPlan plan, IReadOnlyList<PlacedRank> ranks);

    /// <summary>The scheduler needs the devices back for a higher-priority job: stop and requeue.</summary>
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

    /// <summary>A worker of <paramref name="attempt"/> is alive.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> HeartbeatAsync(int attempt, string node);

    /// <summary>A worker of <paramref name="attempt"/> completed a step.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportStepAsync(int attempt, string node, StepReport step);

    /// <summary>
    /// Asked by a worker just before it commits a checkpoint: true while <paramref name="attempt"/> is the attempt in
    /// force. A stale attempt gets false and must not commit (the store refuses it).
    /// </summary>
    [Access(AccessScope.AttemptWorker)]
    Task<bool> MayCommitCheckpointAsync(int attempt);

    /// <summary>A worker of <paramref name="attempt"/> committed a checkpoint.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportCheckpointAsync(int attempt, string node, CheckpointReport checkpoint);

    /// <summary>A worker of <paramref name="attempt"/> restored a checkpoint (or found none) and is about to train.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportRestoredAsync(int attempt, string node, RestoreReport restore);

    /// <summary>
    /// The checkpoints of this job now in the store, oldest first. Throws when no job has this id. Reads the store's
    /// manifests, not the job's state, so it interleaves with the workers' reports instead of holding them up.
    /// </summary>
    [Access(AccessScope.OwnJob)]
    [AlwaysInterleave]
    Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync();

    /// <summary>A worker of <paramref name="attempt"/> finished all its steps.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task<ReportAck> ReportCompletedAsync(int attempt, string node);

    /// <summary>A worker process of <paramref name="attempt"/> ended (reported by its launcher).</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task ReportWorkerExitAsync(int attempt, WorkerExit exit);

    /// <summary>
    /// The output of the workers of an attempt (the latest when <paramref name="attempt"/> is null), of the worker that
    /// hosts <paramref name="rank"/> when given, starting at byte <paramref name="offset"/>.
    /// </summary>
    [Access(AccessScope.OwnJob)]
    Task<LogChunk> ReadLogAsync(int? attempt, int? rank, long offset);
}
