using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
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
        var heartbeats = HeartbeatAsync(job, node, assignment, stop, output);

        var observer = new StepReporter(client.Grains, assignment, stop, output);
        TrainingResult result;
        try
        {
            result = await TrainingLoop.RunAsync(options, observer, stop.Token);
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
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
        }

        if (result.Cancelled || shutdown.IsCancellationRequested)
        {
            output.WriteLine("worker: stopped");
            return WorkerExitCodes.Stopped;
        }

        output.WriteLine($"worker: finished {result.StepsCompleted} steps; loss {result.FirstLoss:F4} -> {result.FinalLoss:F4}");
        await job.ReportCompletedAsync(assignment.Attempt, assignment.Node);
        return WorkerExitCodes.Success;
    }

    private static async Task HeartbeatAsync(IJobGrain job, INodeGrain node, WorkerAssignment assignment, CancellationTokenSource stop, TextWriter output)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod);
        try
        {
            do
            {
                try
                {
                    if (await job.HeartbeatAsync(assignment.Attempt, assignment.Node) == ReportAck.Stop)
                    {
                        output.WriteLine("worker: the control plane ended this attempt");
                        await stop.CancelAsync();
                        return;
                    }

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
