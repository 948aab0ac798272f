using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// <c>step: every</c>: the run follows a training job and evaluates each checkpoint it commits, each in a run of its own
/// (id <c>RUN@STEP</c>) whose shards are queued below the training job's priority, so they take spare devices and the
/// training preempts them rather than the other way round. Each checkpoint is pinned in the store until its run ends
/// (the job's <c>keep</c> would otherwise collect it). The run ends when the job has ended and every run has.
/// </summary>
internal sealed partial class EvaluationRunGrain
{
    private static readonly TimeSpan FollowPeriod = TimeSpan.FromSeconds(2);
    private const string FollowReminder = "evaluation-follow";
    private IGrainTimer? _follower;

    private bool Following => Run.Checkpoints is not null && !Run.IsTerminal;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.RecordExists && Following) await StartFollowingAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Following && await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task<EvaluationRunView> SubmitFollowerAsync(EvaluationJobSpec spec)
    {
        var job = await ModelResolution.FindJobAsync(GrainFactory, spec.Model.Checkpoint!.Job);
        Run.Spec = spec;
        Run.Model = new ResolvedModel($"builtin:{job.Id}@every", job.Id, null, job.Spec.Model);
        Run.SubmittedAt = Now;
        Run.State = JobState.Running;
        Run.Checkpoints = [];
        Run.Note(Now, $"following training job {job.Id} ({job.State}): each checkpoint it commits is evaluated at priority {ChildPriority(job)}");
        await store.WriteStateAsync();
        await GrainFactory.GetGrain<IEvaluationIndexGrain>("default").AddAsync(job.Id, Id);
        await StartFollowingAsync();
        await FollowAsync(CancellationToken.None);
        return Run.ToView(Id);
    }

    private async Task StartFollowingAsync()
    {
        _follower ??= this.RegisterGrainTimer(FollowAsync, new GrainTimerCreationOptions(FollowPeriod, FollowPeriod) { KeepAlive = true });
        // A reminder brings the follower back on a surviving silo after a restart.
        await this.RegisterOrUpdateReminder(FollowReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        if (!Following)
        {
            _follower?.Dispose();
            _follower = null;
            return;
        }

        var job = await GrainFactory.GetGrain<IJobGrain>(Run.Model!.CheckpointJobId!).GetAsync();
        var committed = job?.Checkpoints ?? [];
        foreach (var checkpoint in committed.Where(c => Run.Checkpoints!.All(e => e.Step != c.Step)).OrderBy(c => c.Step))
            Run.Checkpoints!.Add(await StartCheckpointRunAsync(job!, checkpoint));

        for (var i = 0; i < Run.Checkpoints!.Count; i++)
        {
            var entry = Run.Checkpoints[i];
            if (entry.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled) continue;
            if (await GrainFactory.GetGrain<IEvaluationRunGrain>(entry.RunId).GetAsync() is not { IsTerminal: true } child) continue;
            Run.Checkpoints[i] = entry with { State = child.State, Scores = MainScores.Of(child.Spec, child.Scores).ToList(), Message = child.Message };
            Store().Unpin(new CheckpointId(job?.Id ?? Run.Model.CheckpointJobId!, entry.Step, committed.FirstOrDefault(c => c.Step == entry.Step)?.Attempt ?? 0));
            Run.Note(Now, $"checkpoint of step {entry.Step}: evaluation {child.Id} {child.State}");
        }

        if (job is null || job.IsTerminal && Run.Checkpoints.All(c => c.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled))
        {
            var failed = Run.Checkpoints.Count(c => c.State != JobState.Succeeded);
            Run.Message = failed > 0 ? $"{failed} of {Run.Checkpoints.Count} checkpoint evaluation(s) did not succeed" : null;
            Run.Transition(failed > 0 ? JobState.Failed : JobState.Succeeded, Now,
                $"training job {Run.Model.CheckpointJobId} ended {job?.State}; {Run.Checkpoints.Count} checkpoint(s) evaluated");
        }

        await store.WriteStateAsync();
    }

    private async Task<CheckpointEvaluation> StartCheckpointRunAsync(JobView job, CheckpointRecord checkpoint)
    {
        var spec = Run.Spec! with
        {
            Metadata = Run.Spec.Metadata with { Priority = Math.Min(Run.Spec.Metadata.Priority, ChildPriority(job)) },
            Model = new EvaluationModelSpec(new CheckpointModelSpec(job.Id, checkpoint.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)), null),
        };
        var runId = $"{Id}@{checkpoint.Step}";
        var id = new CheckpointId(job.Id, checkpoint.Step, checkpoint.Attempt);
        try
        {
            Store().Pin(id);
            await GrainFactory.GetGrain<IEvaluationRunGrain>(runId).SubmitAsync(spec);
            return new CheckpointEvaluation(checkpoint.Step, runId, JobState.Pending, []);
        }
        catch (Exception e) when (e is JobSpecException or IOException or CheckpointDamagedException)
        {
            Store().Unpin(id);
            return new CheckpointEvaluation(checkpoint.Step, runId, JobState.Failed, [], e.Message);
        }
    }

    /// <summary>Below the training job, so its own evaluations never preempt it.</summary>
    private static int ChildPriority(JobView job) => job.Spec.Metadata.Priority - 1;

    private CheckpointStore Store() => new(new CheckpointStoreOptions { Root = checkpointing.Value.Root });
}
