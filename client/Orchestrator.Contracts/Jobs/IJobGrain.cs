using Orleans.Concurrency;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// One job, keyed by job id: its lifecycle state machine, events, attempts, plan, placement and progress. The
/// scheduler's and the backends' calls (start, preempt, device failed, wake, worker exit) are those of every
/// <see cref="IWorkloadGrain"/>.
/// </summary>
public interface IJobGrain : IWorkloadGrain
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

    /// <summary>
    /// Suspends the job: a running attempt is asked to checkpoint and stop (stopped at once when its workers cannot),
    /// its devices are released, and the job waits in Suspended, without using its restart budget, until resumed.
    /// A no-op when already suspended. Throws when no job has this id or it has finished.
    /// </summary>
    [Access(AccessScope.OwnJob, Audited = true)]
    Task<JobView> SuspendAsync(string reason);

    /// <summary>Queues a suspended job again (Pending); it restarts from its newest checkpoint. A no-op on a job that is not suspended.</summary>
    [Access(AccessScope.OwnJob, Audited = true)]
    Task<JobView> ResumeAsync(string reason);

    /// <summary>
    /// Removes a finished job: its record, its index entry and its worker logs. An unfinished job is refused unless
    /// <paramref name="force"/>, which cancels it first. Throws when no job has this id.
    /// </summary>
    [Access(AccessScope.OwnJob, Audited = true)]
    Task DeleteAsync(bool force);

    /// <summary>
    /// Records that <paramref name="dependentId"/> waits for this job to succeed (it is told when this job finishes) and
    /// returns this job's state; null when no job has this id.
    /// </summary>
    [Access(AccessScope.Internal)]
    Task<JobState?> AddDependentAsync(string dependentId);

    /// <summary>A job this one depends on finished in <paramref name="state"/>.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task DependencyFinishedAsync(string dependencyId, JobState state);

    /// <summary>The scheduler gave up waiting for this preempted job to checkpoint and took its devices back: stop the attempt.</summary>
    [Access(AccessScope.Internal)]
    [OneWay]
    Task StopPreemptedAttemptAsync(string reason);

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

    /// <summary>
    /// The output of the workers of an attempt (the latest when <paramref name="attempt"/> is null), of the worker that
    /// hosts <paramref name="rank"/> when given, starting at byte <paramref name="offset"/>.
    /// </summary>
    [Access(AccessScope.OwnJob)]
    Task<LogChunk> ReadLogAsync(int? attempt, int? rank, long offset);
}
