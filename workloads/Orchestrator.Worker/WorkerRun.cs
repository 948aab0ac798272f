using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Kernels.Communication;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Worker;

/// <summary>
/// One worker process: connects back to the control plane as an Orleans client, heartbeats every second, runs the
/// built-in training loop for its ranks, reports each step, and stops when told (cancel, preemption, a newer
/// attempt). Exit codes are <see cref="WorkerExitCodes"/>.
/// </summary>
internal static class WorkerRun
{
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(WorkerAssignment assignment, TextWriter output, CancellationToken shutdown)
    {
        output.WriteLine($"worker: job {assignment.JobId} attempt {assignment.Attempt} on {assignment.Node}: ranks {string.Join(",", assignment.Ranks.Select(r => r.Rank))} of {assignment.WorldSize}");
        TrainingOptions options;
        ProcessPlacement? placement;
        try
        {
            options = TrainingOptionsMapping.From(assignment);
            options.Validate();
            placement = WorkerPlacement.From(assignment, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"worker: the job cannot run as written: {e.Message}");
            return WorkerExitCodes.SpecError;
        }

        if (placement is not null)
        {
            output.WriteLine($"worker: process {placement.ThisProcess} of {assignment.Nodes!.Count} (one per node); rendezvous in {placement.Rendezvous.StoreDirectory}");
        }

        await using var client = await WorkerConnection.ConnectAsync(assignment, shutdown);
        var job = client.Grains.GetGrain<IJobGrain>(assignment.JobId);
        var node = client.Grains.GetGrain<INodeGrain>(assignment.Node);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

        var link = new ControlPlaneLink(stop, output, TimeProvider.System);
        var checkpoints = new CheckpointReporter(client.Grains, assignment, new CheckpointControl(), stop, link, output);
        var heartbeats = HeartbeatAsync(job, node, assignment, checkpoints, link, stop, output);
        var observer = new StepReporter(client.Grains, assignment, checkpoints, link, output);
        // Of a split run, the process hosting rank 0 reports steps (TrainingLoop) and checkpoints; all obey stop requests.
        var reportsCheckpoints = placement is null || assignment.NodeOfRank![0] == placement.ThisProcess;
        TrainingResult result;
        var trained = false;
        try
        {
            var checkpointing = await CheckpointingAsync(assignment, checkpoints, job, reportsCheckpoints, output);
            if (checkpointing is not null && assignment.Spec.Model.From is { } from)
            {
                checkpointing = checkpointing with { StartFrom = await ModelStart.ResolveAsync(client.Grains, assignment.JobId, from, output) };
            }

            result = await TrainingLoop.RunAsync(options, observer, stop.Token, checkpointing, placement);
            trained = !(result.Cancelled || result.Stopped || shutdown.IsCancellationRequested);
        }
        catch (Exception e) when (WorkerFailures.Classify(e, stop.IsCancellationRequested) is { } failure)
        {
            output.WriteLine(failure.Message);
            return failure.ExitCode;
        }
        finally
        {
            // A finished worker keeps heartbeating until its completion is delivered: a daemon that restarts in
            // between must not take the silence for a lost worker.
            if (!trained) await StopHeartbeatsAsync();
        }

        if (!trained)
        {
            output.WriteLine(result.Stopped ? "worker: stopped after a checkpoint" : "worker: stopped");
            return WorkerExitCodes.Stopped;
        }

        output.WriteLine($"worker: finished {result.StepsCompleted} steps; loss {result.FirstLoss:F4} -> {result.FinalLoss:F4}");
        // The daemon may be restarting right now: the completion is delivered once one answers (within the grace period).
        await link.DeliverAsync("reporting completion", () => job.ReportCompletedAsync(assignment.Attempt, assignment.Node), shutdown);
        await StopHeartbeatsAsync();
        return WorkerExitCodes.Success;

        async Task StopHeartbeatsAsync()
        {
            await stop.CancelAsync();
            await heartbeats;
        }
    }

    /// <summary>
    /// How the loop checkpoints: into the store the control plane names, every <c>checkpoint.every</c> steps or at the
    /// Young/Daly interval, each commit fenced by the job grain. Null when the assignment names no store.
    /// </summary>
    private static async Task<TrainingCheckpointing?> CheckpointingAsync(
        WorkerAssignment assignment, CheckpointReporter reporter, IJobGrain job, bool reports, TextWriter output)
    {
        if (assignment.CheckpointRoot is not { } root) return null;
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = root });
        var spec = assignment.Spec.Checkpoint;
        var interval = spec.EverySteps is { } steps ? CheckpointInterval.EverySteps(steps)
            : spec.EverySeconds is { } seconds ? CheckpointInterval.Every(TimeSpan.FromSeconds(seconds))
            : CheckpointInterval.Auto(TimeSpan.FromSeconds(assignment.MeanTimeBetweenFailuresSeconds));
        output.WriteLine($"worker: checkpoints in {root}, {(spec.IsAuto ? $"auto (Young/Daly, MTBF {assignment.MeanTimeBetweenFailuresSeconds / 3600:F2} h)" : spec.EverySteps is { } n ? $"every {n} steps" : $"every {spec.EverySeconds} s")}, keep {spec.Keep}");
        // The loop reports restores; a job without any checkpoint yet starts fresh, which the job grain hears from here.
        if (reports && store.List(assignment.JobId).Count == 0) await reporter.StartedFreshAsync();
        return new TrainingCheckpointing(store, assignment.JobId, assignment.Attempt, interval)
        {
            Keep = assignment.Spec.Checkpoint.Keep,
            Fence = async (_, _) => await job.MayCommitCheckpointAsync(assignment.Attempt),
            Observer = reports ? reporter : null,
            Control = reporter.Control,
        };
    }

    private static async Task HeartbeatAsync(IJobGrain job, INodeGrain node, WorkerAssignment assignment, CheckpointReporter control, ControlPlaneLink link,
        CancellationTokenSource stop, TextWriter output)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod);
        try
        {
            do
            {
                // Unanswered while the control plane restarts or fails over: keep training and try again next period.
                var ack = await link.CallAsync("heartbeat", () => job.HeartbeatAsync(assignment.Attempt, assignment.Node), ReportAck.Continue);
                if (ack == ReportAck.Stop) output.WriteLine("worker: the control plane ended this attempt");
                await control.ObeyAsync(ack);
                if (ack == ReportAck.Stop) return;

                await link.CallAsync("node heartbeat", async () =>
                {
                    await node.HeartbeatAsync(new NodeHeartbeat(DateTimeOffset.UtcNow, assignment.JobId, assignment.Attempt));
                    return true;
                }, false);
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Training ended or was stopped.
        }
    }
}
