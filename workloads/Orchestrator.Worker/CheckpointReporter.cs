using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Workloads.Checkpointing;

namespace Orchestrator.Worker;

/// <summary>
/// Tells the job grain what the training loop did with checkpoints: the restore it started from, each commit, and
/// failed saves (a fenced attempt stops). Also prints them to the worker's log.
/// </summary>
internal sealed class CheckpointReporter(IGrainFactory grains, WorkerAssignment assignment, CheckpointControl control, CancellationTokenSource stop, ControlPlaneLink link,
    TextWriter output)
    : ICheckpointObserver
{
    /// <summary>The loop's checkpoint-and-stop switch, flipped when a preemption asks for it.</summary>
    public CheckpointControl Control => control;

    private IJobGrain Job => grains.GetGrain<IJobGrain>(assignment.JobId);

    private string Layout => new CheckpointLayout(assignment.Plan.Tensor, assignment.Plan.Pipeline, assignment.Plan.Data, assignment.Plan.Expert, assignment.Plan.VirtualStages).ToString();

    /// <summary>Reports that training starts from scratch (no checkpoint of the job exists yet).</summary>
    public async ValueTask StartedFreshAsync() =>
        await ReportAsync("restore report", () => Job.ReportRestoredAsync(assignment.Attempt, assignment.Node, new RestoreReport(0, 0, null, Layout, 0, [])));

    public async ValueTask OnRestoredAsync(CheckpointRestored restored, CancellationToken ct)
    {
        output.WriteLine($"worker: restored {restored.Checkpoint} (saved under {restored.SavedLayout}) into {restored.CurrentLayout} in {restored.Seconds:F2} s");
        var report = new RestoreReport(restored.Checkpoint.Step, restored.Checkpoint.Attempt, restored.SavedLayout.ToString(), restored.CurrentLayout.ToString(),
            restored.Seconds, restored.Skipped.Select(s => $"{s.Checkpoint}: {s.Reason}").ToList());
        await ReportAsync("restore report", () => Job.ReportRestoredAsync(assignment.Attempt, assignment.Node, report));
    }

    public ValueTask OnStartedFromAsync(CheckpointRestored restored, CancellationToken ct)
    {
        output.WriteLine($"worker: took the initial weights from {restored.Checkpoint} (saved under {restored.SavedLayout}) into {restored.CurrentLayout} in {restored.Seconds:F2} s; training from step 0");
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnNoUsableCheckpointAsync(IReadOnlyList<SkippedCheckpoint> skipped, CancellationToken ct)
    {
        output.WriteLine($"worker: every checkpoint of the job is damaged ({skipped.Count}); training from the initial weights");
        var report = new RestoreReport(0, 0, null, Layout, 0, skipped.Select(s => $"{s.Checkpoint}: {s.Reason}").ToList());
        await ReportAsync("restore report", () => Job.ReportRestoredAsync(assignment.Attempt, assignment.Node, report));
    }

    public async ValueTask OnCommittedAsync(CheckpointCommitted committed, CancellationToken ct)
    {
        output.WriteLine($"worker: checkpoint {committed.Checkpoint} committed: stall {committed.StallSeconds * 1000:F0} ms, write {committed.WriteSeconds:F2} s, " +
            $"{committed.WrittenBytes} of {committed.LogicalBytes} bytes new");
        if (committed.CollectionError is { } error) output.WriteLine($"worker: garbage collection after the commit failed: {error}");
        var final = control.StopRequested || committed.Checkpoint.Step == assignment.Spec.Training.Steps;
        var report = new CheckpointReport(committed.Checkpoint.Step, Layout, committed.StallSeconds, committed.WriteSeconds, committed.LogicalBytes, committed.WrittenBytes, final);
        await ReportAsync("checkpoint report", () => Job.ReportCheckpointAsync(assignment.Attempt, assignment.Node, report));
    }

    public async ValueTask OnSaveFailedAsync(CheckpointSaveFailed failed, CancellationToken ct)
    {
        output.WriteLine($"worker: checkpoint {failed.Checkpoint} was not committed: {failed.Error.Message}");
        if (failed.Fenced) await stop.CancelAsync();
    }

    // A report the control plane does not answer (it is restarting) is not fatal: the checkpoint is committed in the
    // store either way, and the grain learns the attempt's progress from the next step report.
    private async ValueTask ReportAsync(string what, Func<Task<ReportAck>> report) =>
        await ObeyAsync(await link.CallAsync(what, report, ReportAck.Continue));

    /// <summary>Acts on the control plane's answer: a newer attempt or a cancel stops training; a preemption asks for a checkpoint first.</summary>
    public async ValueTask ObeyAsync(ReportAck ack)
    {
        switch (ack)
        {
            case ReportAck.Stop:
                await stop.CancelAsync();
                break;
            case ReportAck.CheckpointAndStop:
                control.RequestCheckpointAndStop();
                break;
        }
    }
}
