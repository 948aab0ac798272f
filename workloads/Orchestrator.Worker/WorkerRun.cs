using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
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
        if (assignment.Ranks.Count != assignment.WorldSize)
        {
            // The kernels can split a run over processes (NetworkWorld over Gloo, TrainingLoop's ProcessPlacement), but
            // the worker knows only its own node's ranks and a split run cannot checkpoint yet (no distributed
            // checkpoints). Refused as a spec error (not retried) until both exist.
            output.WriteLine($"worker: the job cannot run as placed: the built-in runtime runs all {assignment.WorldSize} ranks of an attempt in one process, " +
                $"but this attempt spans nodes ({assignment.Ranks.Count} of its ranks are on {assignment.Node}); use a layout that fits one node");
            return WorkerExitCodes.SpecError;
        }

        TrainingOptions options;
        try
        {
            options = TrainingOptionsMapping.From(assignment);
            options.Validate();
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"worker: the job cannot run as written: {e.Message}");
            return WorkerExitCodes.SpecError;
        }

        await using var client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = assignment.Gateways,
            RedisConnection = assignment.RedisConnection,
            ClusterId = assignment.ClusterId,
            ServiceId = assignment.ServiceId,
        }, shutdown);
        var job = client.Grains.GetGrain<IJobGrain>(assignment.JobId);
        var node = client.Grains.GetGrain<INodeGrain>(assignment.Node);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

        var checkpoints = new CheckpointReporter(client.Grains, assignment, new CheckpointControl(), stop, output);
        var heartbeats = HeartbeatAsync(job, node, assignment, checkpoints, stop, output);
        var observer = new StepReporter(client.Grains, assignment, checkpoints, output);
        TrainingResult result;
        try
        {
            var checkpointing = await CheckpointingAsync(assignment, checkpoints, job, output);
            result = await TrainingLoop.RunAsync(options, observer, stop.Token, checkpointing);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("worker: stopped");
            return WorkerExitCodes.Stopped;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            output.WriteLine($"worker: the job cannot run as written: {e.Message}");
            return WorkerExitCodes.SpecError;
        }
        catch (Exception e) when (DeviceFaults.Indicate(e))
        {
            output.WriteLine($"worker: device fault: {e.Message}");
            return WorkerExitCodes.DeviceFault;
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
        }

        if (result.Cancelled || result.Stopped || shutdown.IsCancellationRequested)
        {
            output.WriteLine(result.Stopped ? "worker: stopped after a checkpoint" : "worker: stopped");
            return WorkerExitCodes.Stopped;
        }

        output.WriteLine($"worker: finished {result.StepsCompleted} steps; loss {result.FirstLoss:F4} -> {result.FinalLoss:F4}");
        await job.ReportCompletedAsync(assignment.Attempt, assignment.Node);
        return WorkerExitCodes.Success;
    }

    /// <summary>
    /// How the loop checkpoints: into the store the control plane names, every <c>checkpoint.every</c> steps or at the
    /// Young/Daly interval, each commit fenced by the job grain. Null when the assignment names no store.
    /// </summary>
    private static async Task<TrainingCheckpointing?> CheckpointingAsync(
        WorkerAssignment assignment, CheckpointReporter reporter, IJobGrain job, TextWriter output)
    {
        if (assignment.CheckpointRoot is not { } root) return null;
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = root });
        var spec = assignment.Spec.Checkpoint;
        var interval = spec.EverySteps is { } steps ? CheckpointInterval.EverySteps(steps)
            : spec.EverySeconds is { } seconds ? CheckpointInterval.Every(TimeSpan.FromSeconds(seconds))
            : CheckpointInterval.Auto(TimeSpan.FromSeconds(assignment.MeanTimeBetweenFailuresSeconds));
        output.WriteLine($"worker: checkpoints in {root}, {(spec.IsAuto ? $"auto (Young/Daly, MTBF {assignment.MeanTimeBetweenFailuresSeconds / 3600:F2} h)" : spec.EverySteps is { } n ? $"every {n} steps" : $"every {spec.EverySeconds} s")}, keep {spec.Keep}");
        // The loop reports restores; a job without any checkpoint yet starts fresh, which the job grain hears from here.
        if (store.List(assignment.JobId).Count == 0) await reporter.StartedFreshAsync();
        return new TrainingCheckpointing(store, assignment.JobId, assignment.Attempt, interval)
        {
            Keep = assignment.Spec.Checkpoint.Keep,
            Fence = async (_, _) => await job.MayCommitCheckpointAsync(assignment.Attempt),
            Observer = reporter,
            Control = reporter.Control,
        };
    }

    private static async Task HeartbeatAsync(IJobGrain job, INodeGrain node, WorkerAssignment assignment, CheckpointReporter control, CancellationTokenSource stop, TextWriter output)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod);
        try
        {
            do
            {
                try
                {
                    var ack = await job.HeartbeatAsync(assignment.Attempt, assignment.Node);
                    if (ack == ReportAck.Stop) output.WriteLine("worker: the control plane ended this attempt");
                    await control.ObeyAsync(ack);
                    if (ack == ReportAck.Stop) return;

                    await node.HeartbeatAsync(new NodeHeartbeat(DateTimeOffset.UtcNow, assignment.JobId, assignment.Attempt));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The control plane may be failing over; keep training and try again next period.
                    output.WriteLine($"worker: heartbeat failed: {e.Message}");
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Training ended or was stopped.
        }
    }
}
