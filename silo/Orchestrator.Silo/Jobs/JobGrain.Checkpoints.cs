using Orchestrator.Checkpoints;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Planning.Hardware;

namespace Orchestrator.Silo.Jobs;

/// <summary>The job grain's part in checkpointing: fencing commits, recording checkpoints and restores, preempting with a checkpoint.</summary>
internal sealed partial class JobGrain
{
    /// <summary>What a live attempt's worker is told: carry on, or checkpoint and stop while a preemption waits.</summary>
    private ReportAck Ack => Job.Preempting is null ? ReportAck.Continue : ReportAck.CheckpointAndStop;

    public async Task PreemptAsync(string reason)
    {
        if (Job.Current is not { Outcome: AttemptOutcome.Running } current || Job.IsTerminal || Job.Preempting is not null) return;
        if (Job.State != JobState.Running || !backend.WorkersCheckpoint)
        {
            await FinishPreemptionAsync(current.Number, reason);
            return;
        }

        // Ask the workers (through their next heartbeat or step report) to checkpoint and stop; the supervision timer
        // stops them regardless once the grace period is over.
        var grace = checkpointing.Value.PreemptionGracePeriod;
        Job.Preempting = new PreemptionRequest(reason, Now + grace);
        Job.Note(Now, $"preemption requested ({reason}): saving a checkpoint before stopping (grace {grace.TotalSeconds:F0} s)", current.Number);
        await SaveAsync();
    }

    public Task<bool> MayCommitCheckpointAsync(int attempt) => Task.FromResult(Job.IsLive(attempt));

    public async Task<ReportAck> ReportCheckpointAsync(int attempt, string node, CheckpointReport checkpoint)
    {
        if (!Job.IsLive(attempt)) return ReportAck.Stop;
        _lastHeard[node] = Now;
        Job.RecordCheckpoint(new CheckpointRecord(checkpoint.Step, attempt, checkpoint.Layout, Now, checkpoint.StallSeconds, checkpoint.LogicalBytes, checkpoint.WrittenBytes));
        metrics.CheckpointCommitted(Id, Job.Spec!.Metadata.Queue, checkpoint.StallSeconds, checkpoint.LogicalBytes, checkpoint.WrittenBytes);
        Job.Note(Now, $"checkpoint at step {checkpoint.Step} committed ({checkpoint.Layout}, {checkpoint.LogicalBytes / 1048576.0:F1} MiB, {checkpoint.WrittenBytes / 1048576.0:F1} MiB new; " +
            $"training stalled {checkpoint.StallSeconds * 1000:F0} ms, written in {checkpoint.WriteSeconds:F1} s)", attempt);
        await RegisterModelAsync(attempt, checkpoint);
        if (Job.Preempting is { } preempting && checkpoint.Final)
        {
            await FinishPreemptionAsync(attempt, $"{preempting.Reason}; checkpointed at step {checkpoint.Step}");
            return ReportAck.Stop;
        }

        await SaveAsync();
        return Ack;
    }

    public async Task<ReportAck> ReportRestoredAsync(int attempt, string node, RestoreReport restore)
    {
        if (!Job.IsLive(attempt)) return ReportAck.Stop;
        _lastHeard[node] = Now;
        var reached = Job.Attempts.Max(a => a.LastStep);
        var redone = Job.Goodput.Resumed(restore.Step, reached);
        if (restore.Step > 0) metrics.Recovered(redone);
        Job.Attempts[^1] = Job.Current! with { StartStep = restore.Step, LastStep = restore.Step };
        if (Job.Progress is { } progress) Job.Progress = progress with { Step = restore.Step };
        foreach (var skipped in restore.Skipped) Job.Note(Now, $"skipped a damaged checkpoint: {skipped}", attempt);
        var resharded = restore.SavedLayout is { } saved && saved != restore.Layout ? $", resharded from {saved} to {restore.Layout}" : "";
        Job.Note(Now, restore.Step > 0
            ? $"restored the checkpoint of step {restore.Step} (saved by attempt {restore.SavedByAttempt}{resharded}) in {restore.Seconds:F1} s; {redone} step(s) to train again"
            : reached > 0 ? $"no checkpoint to restore: training again from step 0 ({redone} step(s) lost)" : "no checkpoint to restore: training from step 0", attempt);
        await SaveAsync();
        return Ack;
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync()
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        var root = checkpointing.Value.Root;
        if (!Directory.Exists(root)) return [];
        var checkpoints = new CheckpointStore(new CheckpointStoreOptions { Root = root });
        var result = new List<StoredCheckpoint>();
        foreach (var id in checkpoints.List(Id))
        {
            try
            {
                var manifest = await checkpoints.LoadManifestAsync(id, CancellationToken.None);
                result.Add(new StoredCheckpoint(id.Step, id.Attempt, manifest.Layout.ToString(), manifest.CreatedUtc, manifest.LogicalBytes,
                    manifest.Tensors.Count, checkpoints.IsPinned(id), null));
            }
            catch (CheckpointDamagedException e)
            {
                result.Add(new StoredCheckpoint(id.Step, id.Attempt, "?", default, 0, 0, checkpoints.IsPinned(id), e.Message));
            }
        }

        return result;
    }

    /// <summary>Ends the running attempt as preempted and requeues the job; requeueing releases its devices to the preemptor.</summary>
    private async Task FinishPreemptionAsync(int attempt, string reason)
    {
        if (Job.Preempting is { Suspend: true })
        {
            await FinishSuspensionAsync(attempt, reason);
            return;
        }

        StopSupervision();
        await backend.StopAsync(Id, attempt, CancellationToken.None);
        Job.EndAttempt(AttemptOutcome.Preempted, reason, Now);
        Job.Transition(JobState.Recovering, Now, $"preempted: {reason}; requeued");
        await SaveAsync();
        await Scheduler.EnqueueAsync(new QueuedJob(Id, Job.Spec!, Now, null, []));
    }

    /// <summary>The catalog's dense BF16 peak of the job's device type; none for CPU stand-ins, whose catalog entry is nominal.</summary>
    private double? PeakFlopsPerDevice() =>
        Job.Spec!.Resources.GpuType is { } type && type != HardwareCatalog.Cpu && HardwareCatalog.TryGet(type, out var device) ? device.PeakBf16Tflops * 1e12 : null;

    /// <summary>
    /// The mean time between failures that <c>checkpoint.every: auto</c> plans for: the configured figure until the
    /// job has failed, then its own observed rate (attempt time per failure), whichever is shorter.
    /// </summary>
    private TimeSpan MeanTimeBetweenFailures()
    {
        var configured = checkpointing.Value.MeanTimeBetweenFailures;
        var failures = Job.Attempts.Count(a => a.Outcome == AttemptOutcome.Failed);
        if (failures == 0) return configured;
        var attemptTime = Job.Attempts.Where(a => a.EndedAt is not null).Sum(a => (a.EndedAt!.Value - a.StartedAt).TotalSeconds);
        var observed = TimeSpan.FromSeconds(Math.Max(1, attemptTime / failures));
        return observed < configured ? observed : configured;
    }
}
