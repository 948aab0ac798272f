using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// One evaluation shard ("run/shard"): queued at the scheduler like a training job, launched as a worker on the
/// devices it is given, supervised by its progress reports, and on a failure queued again by itself (its worker then
/// resumes from the shard's results file) until <c>shardAttempts</c> are used. It tells its run of every change.
/// </summary>
internal sealed partial class EvaluationShardGrain(
    [PersistentState("evaluation-shard", StorageNames.Durable)] IPersistentState<EvaluationShardRecord> store,
    IExecutionBackend backend,
    IOptions<JobSupervisionOptions> supervision,
    IOptions<EvaluationOptions> evaluation,
    IOptions<ControlPlaneEndpoint> endpoint,
    TimeProvider time,
    ILogger<EvaluationShardGrain> logger) : Grain, IEvaluationShardGrain
{
    private DateTimeOffset _lastHeard;
    private DateTimeOffset _lastPushed;
    private bool _heard;
    private IGrainTimer? _supervisor;

    private EvaluationShardRecord Shard => store.State;

    private string Key => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    private ISchedulerGrain Scheduler => GrainFactory.GetGrain<ISchedulerGrain>("default");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // After a restart nothing is known of the worker: give it a full timeout to be heard.
        if (store.RecordExists && Shard.State == ShardState.Running) StartSupervision();
        return Task.CompletedTask;
    }

    public async Task StartAsync(EvaluationShardWork work)
    {
        if (Shard.Work is not null) return;
        Shard.Work = work;
        Shard.State = ShardState.Waiting;
        Shard.Progress = new ShardProgress(0, work.End - work.Start);
        await store.WriteStateAsync();
        await Scheduler.EnqueueAsync(new QueuedJob(Key, Shard.PlacementSpec(), Now, null, [], WorkloadKind.EvaluationShard));
        await PushAsync();
    }

    public Task<EvaluationShardView?> GetAsync() => Task.FromResult(Shard.Work is null ? null : Shard.ToView());

    public async Task CancelAsync(string reason)
    {
        if (Shard.Work is null || Shard.IsTerminal) return;
        if (Shard.State == ShardState.Running) await backend.StopAsync(Key, Shard.Attempts, CancellationToken.None);
        StopSupervision();
        Shard.EndAttempt();
        Shard.State = ShardState.Cancelled;
        Shard.Message = reason;
        await store.WriteStateAsync();
        await Scheduler.RemoveAsync(Key);
    }

    public async Task StartAttemptAsync(JobPlan plan, IReadOnlyList<PlacedRank> ranks)
    {
        if (Shard.Work is not { } work || Shard.State != ShardState.Waiting)
        {
            LogIgnoredStart(Key, Shard.State);
            if (Shard.IsTerminal) await Scheduler.RemoveAsync(Key);
            return;
        }

        Shard.Attempts++;
        Shard.State = ShardState.Running;
        // The built-in client runs the model unpartitioned in one process: the worker of the first rank's node
        // evaluates while the gang's other devices stay reserved for it.
        var node = ranks.OrderBy(r => r.Rank).First().Node;
        Shard.Nodes = [node];
        await store.WriteStateAsync();
        try
        {
            await backend.LaunchAsync(Assignment(work, plan, ranks, node), CancellationToken.None);
        }
        catch (Exception e)
        {
            await FailAttemptAsync(Shard.Attempts, $"launch failed: {e.Message}", retry: true);
            return;
        }

        StartSupervision();
        await PushAsync();
    }

    public Task PreemptAsync(string reason) => Shard.State == ShardState.Running
        ? EndAttemptAsync(Shard.Attempts, $"preempted: {reason}", failure: false, retry: true)
        : Task.CompletedTask;

    public Task DeviceFailedAsync(string deviceId) => Shard.State == ShardState.Running
        ? FailAttemptAsync(Shard.Attempts, $"device {deviceId} was marked failed", retry: true)
        : Task.CompletedTask;

    public Task WakeAsync() => Task.CompletedTask;

    public async Task<ReportAck> ReportProgressAsync(int attempt, ShardProgress progress)
    {
        if (!Shard.IsLive(attempt)) return ReportAck.Stop;
        _lastHeard = Now;
        _heard = true;
        var advanced = progress.Done != Shard.Progress?.Done;
        Shard.Progress = progress;
        // Results are on disk already; the progress figures are persisted and pushed at a bounded rate.
        if (advanced && Now - _lastPushed >= supervision.Value.ProgressPersistInterval)
        {
            await store.WriteStateAsync();
            await PushAsync();
        }

        return ReportAck.Continue;
    }

    public async Task<ReportAck> ReportCompletedAsync(int attempt, ShardProgress progress)
    {
        if (!Shard.IsLive(attempt)) return ReportAck.Stop;
        StopSupervision();
        Shard.Progress = progress;
        Shard.State = ShardState.Succeeded;
        Shard.Message = null;
        await store.WriteStateAsync();
        await Scheduler.ReleaseAsync(Key, attempt);
        await PushAsync();
        return ReportAck.Stop;
    }

    public async Task ReportWorkerExitAsync(int attempt, WorkerExit exit)
    {
        if (!Shard.IsLive(attempt)) return;
        var message = $"worker on {exit.Node}: {exit.Reason}";
        if (exit.Cause == ExitCause.SpecError) await FailAttemptAsync(attempt, message, retry: false);
        else await FailAttemptAsync(attempt, exit.ExitCode == 0 ? $"worker on {exit.Node} exited before finishing its range" : message, retry: true);
    }

    private Task FailAttemptAsync(int attempt, string message, bool retry) => EndAttemptAsync(attempt, message, failure: true, retry);

    /// <summary>Ends the running attempt; queues the shard again unless its attempts are used up (or it cannot run as written).</summary>
    private async Task EndAttemptAsync(int attempt, string message, bool failure, bool retry)
    {
        StopSupervision();
        await backend.StopAsync(Key, attempt, CancellationToken.None);
        Shard.EndAttempt();
        if (failure) Shard.Failures++;
        Shard.Message = $"attempt {attempt}: {message}";
        var spec = Shard.Work!.Spec;
        await Scheduler.ReleaseAsync(Key, attempt);
        if (!retry || Shard.Failures >= spec.ShardAttempts)
        {
            Shard.State = ShardState.Failed;
            Shard.Message += retry ? $"; {Shard.Failures} of {spec.ShardAttempts} attempts failed" : "; not retried";
            await store.WriteStateAsync();
            await PushAsync();
            return;
        }

        Shard.State = ShardState.Waiting;
        await store.WriteStateAsync();
        LogRequeued(Key, attempt, message);
        var delay = failure ? evaluation.Value.ShardRetryDelay : TimeSpan.Zero;
        await Scheduler.EnqueueAsync(new QueuedJob(Key, Shard.PlacementSpec(), Now, Now + delay, [], WorkloadKind.EvaluationShard));
        await PushAsync();
    }

    private WorkerAssignment Assignment(EvaluationShardWork work, JobPlan plan, IReadOnlyList<PlacedRank> ranks, string node)
    {
        var e = endpoint.Value;
        var mine = ranks.Where(r => r.Node == node).ToList();
        return new WorkerAssignment(Key, Shard.Attempts, node, mine, mine.Count, plan, Shard.PlacementSpec(),
            e.Gateways, e.ClusterId, e.ServiceId, e.RedisConnection, 0, work.CheckpointRoot, Evaluation: work);
    }

    private Task PushAsync()
    {
        _lastPushed = Now;
        var run = Shard.Work!.RunId;
        return GrainFactory.GetGrain<IEvaluationRunGrain>(run).ShardChangedAsync(Shard.ToView());
    }

    private void StartSupervision()
    {
        _heard = false;
        _lastHeard = Now;
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
        if (Shard.State != ShardState.Running)
        {
            StopSupervision();
            return;
        }

        var options = supervision.Value;
        var limit = _heard ? options.HeartbeatTimeout : options.StartTimeout;
        if (Now - _lastHeard <= limit) return;
        await FailAttemptAsync(Shard.Attempts, _heard
            ? $"lost the worker's progress reports (none for {limit.TotalSeconds:F0} s)"
            : $"the worker was not heard from within {limit.TotalSeconds:F0} s", retry: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "evaluation shard {Shard}: ignored a start while {State}")]
    private partial void LogIgnoredStart(string shard, ShardState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "evaluation shard {Shard}: attempt {Attempt} ended ({Reason}); queued again")]
    private partial void LogRequeued(string shard, int attempt, string reason);
}
