using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Lifecycle;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Queues;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// One job: its lifecycle, attempts and progress. Launches an attempt's workers when the scheduler places it,
/// fences reports from older attempts, supervises liveness, and applies the restart policy when an attempt fails.
/// </summary>
internal sealed partial class JobGrain(
    [PersistentState("job", StorageNames.Durable)] IPersistentState<JobRecord> store,
    IExecutionBackend backend,
    IOptions<JobSupervisionOptions> supervision,
    IOptions<CheckpointingOptions> checkpointing,
    IOptions<ControlPlaneEndpoint> endpoint,
    OrchestratorMetrics metrics,
    TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IJobOwnership
{
    private readonly Dictionary<string, DateTimeOffset> _lastHeard = [];
    private DateTimeOffset _attemptClockStart;
    private DateTimeOffset _lastPersist;
    private IGrainTimer? _supervisor;
    private bool _resumedAfterRestart;

    private JobRecord Job => store.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    private ISchedulerGrain Scheduler => GrainFactory.GetGrain<ISchedulerGrain>("default");

    string? IJobOwnership.Owner => store.RecordExists ? Job.Owner : null;

    void IJobOwnership.Claim(string user)
    {
        if (!store.RecordExists) Job.Owner = user;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.RecordExists && Job.State is JobState.Starting or JobState.Running)
        {
            // After a restart or failover nothing is known of the workers: give them a full timeout to be heard.
            StartSupervision();
            _resumedAfterRestart = true;
            return ResumeAfterRestartAsync();
        }

        return Task.CompletedTask;
    }

    public async Task<JobView> SubmitAsync(TrainingJobSpec spec)
    {
        if (store.RecordExists) throw new InvalidOperationException($"job id '{Id}' is taken");
        var inventory = await GrainFactory.GetGrain<IClusterGrain>("default").GetInventoryAsync();
        var errors = SubmissionValidator.Validate(spec, inventory);
        if (errors.Count == 0) errors = await ValidateStartingVersionAsync(spec);
        if (errors.Count > 0) throw new JobSpecException(errors);
        (var metadata, errors) = QueueAdmission.Resolve(spec.Metadata, await GrainFactory.GetGrain<IQueueRegistryGrain>("default").GetAsync());
        if (errors.Count > 0) throw new JobSpecException(errors);
        spec = spec with { Metadata = metadata };

        Job.Spec = spec;
        Job.State = JobState.Pending;
        Job.SubmittedAt = Now;
        Job.Note(Now, $"submitted to queue '{spec.Metadata.Queue}' at priority {spec.Metadata.Priority}, asking for {spec.Resources.Gpus} device(s)");
        await SaveAsync();
        await Scheduler.EnqueueAsync(new QueuedJob(Id, spec, Now, null, []));
        return Job.ToView(Id, Now);
    }

    public Task<JobView?> GetAsync() => Task.FromResult(store.RecordExists ? Job.ToView(Id, Now) : null);

    public Task<JobUpdates> GetUpdatesAsync(long afterSequence) =>
        Task.FromResult(new JobUpdates(Job.Events.Where(e => e.Sequence > afterSequence).ToList(), Job.Progress, Job.State));

    public async Task<JobView> CancelAsync(string reason)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        if (Job.IsTerminal) return Job.ToView(Id, Now);
        if (Job.Current is { Outcome: AttemptOutcome.Running } current)
        {
            await backend.StopAsync(Id, current.Number, CancellationToken.None);
            Job.EndAttempt(AttemptOutcome.Cancelled, reason, Now);
        }

        StopSupervision();
        Job.Transition(JobState.Cancelled, Now, reason);
        await SaveAsync();
        await Scheduler.RemoveAsync(Id);
        return Job.ToView(Id, Now);
    }

    public async Task StartAttemptAsync(JobPlan plan, IReadOnlyList<PlacedRank> ranks)
    {
        if (!store.RecordExists || Job.State is not (JobState.Pending or JobState.Recovering))
        {
            LogIgnoredStart(Id, Job.State);
            if (store.RecordExists && Job.IsTerminal) await Scheduler.RemoveAsync(Id);
            return;
        }

        var nodes = ranks.Select(r => r.Node).Distinct().ToList();
        if (Job.State == JobState.Pending)
            Job.Transition(JobState.Planning, Now, $"scheduling pass chose layout t{plan.Tensor}·p{plan.Pipeline}·d{plan.Data}{(plan.Expert > 1 ? $"·e{plan.Expert}" : "")}{(plan.VirtualStages > 1 ? $"·v{plan.VirtualStages}" : "")} ({plan.Source})");
        var number = Job.Attempts.Count + 1;
        // The worker restores the newest checkpoint that verifies; until it reports, assume the newest committed one.
        Job.Attempts.Add(new AttemptRecord(number, plan, ranks, Now, null, AttemptOutcome.Running, null, Job.LastCheckpointStep, Job.LastCheckpointStep));
        Job.CompletedNodes.Clear();
        Job.Transition(JobState.Placed, Now, $"attempt {number}: {ranks.Count} rank(s) placed on {nodes.Count} node(s): {Describe(ranks)}");
        Job.Transition(JobState.Starting, Now, $"attempt {number}: launching {nodes.Count} worker(s)");
        if (backend.Departure(Job.Spec!.Runtime) is { } departure) Job.Note(Now, departure, number);
        await SaveAsync();
        metrics.AttemptStarted(Id, Job.Spec!.Metadata.Queue, number);

        try
        {
            foreach (var node in nodes)
                await backend.LaunchAsync(Assignment(number, node, plan, ranks), CancellationToken.None);
        }
        catch (Exception e)
        {
            await FailAttemptAsync(number, $"launch failed: {e.Message}", AttemptEndReason.LaunchFailed, chargedNode: null);
            return;
        }

        StartSupervision();
    }

    public async Task DeviceFailedAsync(string deviceId)
    {
        if (Job.Current is not { Outcome: AttemptOutcome.Running } current || Job.IsTerminal || current.Ranks.All(r => r.DeviceId != deviceId)) return;
        await FailAttemptAsync(current.Number, $"device {deviceId} was marked failed", AttemptEndReason.DeviceFailed, chargedNode: null);
    }

    public Task WakeAsync() => ReconcileAsync(wokenByScheduler: true);

    public async Task<ReportAck> HeartbeatAsync(int attempt, string node)
    {
        if (!Job.IsLive(attempt)) return ReportAck.Stop;
        _lastHeard[node] = Now;
        await EnsureRunningAsync(attempt);
        return Ack;
    }

    public async Task<ReportAck> ReportStepAsync(int attempt, string node, StepReport step)
    {
        if (!Job.IsLive(attempt)) return ReportAck.Stop;
        _lastHeard[node] = Now;
        Job.Progress = new JobProgress(step.Step, Job.Spec!.Training.Steps, step.Loss, Job.Progress?.FirstLoss ?? step.Loss, step.TokensPerSecond, step.StepSeconds, Now, step.ModelFlopsUtilization);
        Job.Attempts[^1] = Job.Current! with { LastStep = step.Step };
        Job.Goodput.Stepped(step.StepSeconds);
        metrics.StepReported(Id, Job.Spec.Metadata.Queue, step, Job.Goodput.View(Job.Attempts[0].StartedAt, Now).Ratio);
        if (!await EnsureRunningAsync(attempt) && Now - _lastPersist >= supervision.Value.ProgressPersistInterval)
            await SaveAsync();
        return Ack;
    }

    public async Task<ReportAck> ReportCompletedAsync(int attempt, string node)
    {
        if (!Job.IsLive(attempt)) return ReportAck.Stop;
        await EnsureRunningAsync(attempt);
        if (!Job.CompletedNodes.Contains(node)) Job.CompletedNodes.Add(node);
        if (Job.Current!.Nodes.All(Job.CompletedNodes.Contains))
        {
            StopSupervision();
            Job.EndAttempt(AttemptOutcome.Succeeded, "all workers finished", Now);
            Job.Transition(JobState.Succeeded, Now, $"finished {Job.Spec!.Training.Steps} steps; final loss {Job.Progress?.Loss:G4}");
            metrics.JobFinished(Job.ToView(Id, Now).Goodput!.Ratio);
            await SaveAsync();
            await Scheduler.ReleaseAsync(Id, attempt);
        }
        else
        {
            await SaveAsync();
        }

        return ReportAck.Stop;
    }

    public async Task ReportWorkerExitAsync(int attempt, WorkerExit exit)
    {
        if (!Job.IsLive(attempt)) return;
        if (exit.ExitCode == 0 && Job.CompletedNodes.Contains(exit.Node)) return;
        if (Job.Preempting is { } preempting)
        {
            // Asked to stop: whether or not it managed a checkpoint, the attempt ends as preempted.
            await FinishPreemptionAsync(attempt, $"{preempting.Reason}; the worker on {exit.Node} stopped ({exit.Reason})");
            return;
        }

        var verdict = FailureClassification.Judge(exit, Job.Spec!.RestartPolicy);
        var message = exit.Cause == ExitCause.Completed ? $"worker on {exit.Node} exited before finishing" : $"worker on {exit.Node}: {exit.Reason}";
        await FailAttemptAsync(attempt, $"{message} ({verdict.Explanation})", verdict.Reason, verdict.ChargesDevices ? exit.Node : null);
    }

    public async Task<LogChunk> ReadLogAsync(int? attempt, int? rank, long offset)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        var record = attempt is { } n ? Job.Attempts.FirstOrDefault(a => a.Number == n) : Job.Current;
        if (record is null)
            throw new ArgumentException(attempt is null ? "the job has not started an attempt yet" : $"attempt {attempt} does not exist; the job has {Job.Attempts.Count}");
        var placed = rank is { } r ? record.Ranks.FirstOrDefault(p => p.Rank == r) : record.Ranks.FirstOrDefault();
        if (placed is null) throw new ArgumentException($"rank {rank} does not exist in attempt {record.Number} ({record.Ranks.Count} ranks)");
        return await backend.ReadLogAsync(Id, record.Number, placed.Node, offset, record.Outcome != AttemptOutcome.Running, CancellationToken.None);
    }

    private async Task<bool> EnsureRunningAsync(int attempt)
    {
        if (Job.State != JobState.Starting) return false;
        Job.Transition(JobState.Running, Now, $"attempt {attempt}: workers running");
        await SaveAsync();
        return true;
    }

    /// <summary>Ends the attempt, charges the devices of <paramref name="chargedNode"/> (none when null), and restarts or fails per the policy.</summary>
    private async Task FailAttemptAsync(int attempt, string message, AttemptEndReason reason, string? chargedNode)
    {
        StopSupervision();
        var ended = Job.EndAttempt(reason == AttemptEndReason.Interrupted ? AttemptOutcome.Interrupted : AttemptOutcome.Failed, message, Now);
        var charged = ended.Ranks.Where(r => r.Node == chargedNode).Select(r => r.DeviceId).ToList();
        var failures = Job.Attempts.Count(a => a.Outcome == AttemptOutcome.Failed);
        var decision = RestartPolicy.For(Job.Spec!.RestartPolicy).Decide(Math.Max(1, failures), reason);
        if (ended.Outcome == AttemptOutcome.Failed) metrics.AttemptFailed();
        var how = ended.Outcome == AttemptOutcome.Failed ? "failed" : "was interrupted";
        if (!decision.Restart) Job.Message = message;
        Job.Transition(decision.Restart ? JobState.Recovering : JobState.Failed, Now, $"attempt {attempt} {how}: {message}; {decision.Explanation}");
        // Saved before any other grain hears of it: after a crash from here on, the job's reminder finishes the
        // scheduler's part (ReconcileAsync); a lost device charge errs on the side of the device.
        await SaveAsync();
        await backend.StopAsync(Id, attempt, CancellationToken.None);
        foreach (var device in charged)
            await GrainFactory.GetGrain<IGpuGrain>(device).ReportFaultAsync(Id, attempt, message);

        // Requeueing releases the devices in the same call.
        if (decision.Restart) await Scheduler.EnqueueAsync(new QueuedJob(Id, Job.Spec, Now, Now + decision.Delay, charged));
        else await Scheduler.ReleaseAsync(Id, attempt);
    }

    private void StartSupervision()
    {
        _lastHeard.Clear();
        _resumedAfterRestart = false;
        _attemptClockStart = Now;
        _supervisor?.Dispose();
        var period = supervision.Value.CheckInterval;
        _supervisor = this.RegisterGrainTimer(CheckLivenessAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    private void StopSupervision()
    {
        _supervisor?.Dispose();
        _supervisor = null;
    }

    private async Task CheckLivenessAsync(CancellationToken cancellationToken)
    {
        if (Job.Current is not { Outcome: AttemptOutcome.Running } current || Job.IsTerminal)
        {
            StopSupervision();
            return;
        }

        if (Job.Preempting is { } preempting && Now >= preempting.Deadline)
        {
            await FinishPreemptionAsync(current.Number, $"{preempting.Reason}; stopped without a checkpoint after the grace period");
            return;
        }

        var options = supervision.Value;
        // A worker that outlived a restart first has to notice the new daemon and reconnect: it gets the start grace.
        var firstHearing = Job.State == JobState.Starting || _resumedAfterRestart ? options.StartTimeout : options.HeartbeatTimeout;
        var silentNode = current.Nodes.FirstOrDefault(node =>
            _lastHeard.TryGetValue(node, out var heard)
                ? Now - heard > options.HeartbeatTimeout
                : Now - _attemptClockStart > firstHearing);
        if (silentNode is null) return;
        var message = _lastHeard.ContainsKey(silentNode)
            ? $"lost heartbeats from the worker on {silentNode} (none for {options.HeartbeatTimeout.TotalSeconds:F0} s)"
            : $"the worker on {silentNode} was not heard from within {firstHearing.TotalSeconds:F0} s";
        var verdict = FailureClassification.Silence(_lastHeard.ContainsKey(silentNode), _resumedAfterRestart);
        await FailAttemptAsync(current.Number, $"{message} ({verdict.Explanation})", verdict.Reason, verdict.ChargesDevices ? silentNode : null);
    }

    private WorkerAssignment Assignment(int attempt, string node, JobPlan plan, IReadOnlyList<PlacedRank> ranks)
    {
        var e = endpoint.Value;
        var nodes = ranks.Select(r => r.Node).Distinct().ToList();
        return new WorkerAssignment(Id, attempt, node, ranks.Where(r => r.Node == node).ToList(), ranks.Count, plan, Job.Spec!,
            e.Gateways, e.ClusterId, e.ServiceId, e.RedisConnection, Job.Current?.StartStep ?? 0,
            checkpointing.Value.Root, MeanTimeBetweenFailures().TotalSeconds,
            PeakFlopsPerDevice(), nodes, ranks.OrderBy(r => r.Rank).Select(r => nodes.IndexOf(r.Node)).ToList());
    }

    private static string Describe(IReadOnlyList<PlacedRank> ranks) =>
        ranks.Count <= 8 ? string.Join(", ", ranks.Select(r => r.DeviceId)) : $"{ranks[0].DeviceId} … {ranks[^1].DeviceId}";

    private async Task SaveAsync()
    {
        await store.WriteStateAsync();
        _lastPersist = Now;
        await GrainFactory.GetGrain<IJobIndexGrain>("default").UpsertAsync(Job.ToSummary(Id));
        await KeepReminderAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "job {JobId}: ignored a start while {State}")]
    private partial void LogIgnoredStart(string jobId, JobState state);
}
