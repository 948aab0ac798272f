using Orchestrator.Client;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Workers;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Runs;

namespace Orchestrator.Worker;

/// <summary>
/// A worker in evaluation mode: evaluates one shard's range with the run's model through the request cache, appending
/// each finished instance to the shard's results file (so a new attempt resumes where this one stopped), reports
/// progress after each instance and every second (its heartbeat), and stops when the shard grain says so.
/// </summary>
internal static class EvaluationShardRun
{
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(WorkerAssignment assignment, EvaluationShardWork work, TextWriter output, CancellationToken shutdown)
    {
        output.WriteLine($"worker: evaluation shard {work.Shard} of {work.ShardCount} of run {work.RunId} (attempt {assignment.Attempt}): instances [{work.Start}, {work.End}) with {work.Model.ModelId}");
        await using var client = await WorkerConnection.ConnectAsync(assignment, shutdown);
        var shard = client.Grains.GetGrain<IEvaluationShardGrain>(assignment.JobId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var latest = new ShardProgress(0, work.End - work.Start);
        async Task ReportAsync(ShardProgress progress)
        {
            latest = progress;
            if (await shard.ReportProgressAsync(assignment.Attempt, progress) == ReportAck.Stop) await stop.CancelAsync();
        }

        var heartbeats = HeartbeatAsync(() => latest, shard, assignment.Attempt, stop, output);
        try
        {
            var run = RunInstances.Load(work.Spec, RunInstances.Builtin(work.DataRoot));
            var model = await ShardModelClients.OpenAsync(work, Environment.GetEnvironmentVariable, stop.Token);
            using var disposesModel = model as IDisposable;
            using var cache = RequestCache.Open(work.CacheDirectory);
            var caching = new CachingModelClient(model, cache);
            using var results = ShardResultsFile.Open(ShardResultsFile.PathOf(work.ResultsDirectory, work.Shard));
            var final = await new ShardEvaluator(work.Spec, run, caching).RunAsync(work.Start, work.End, results, ReportAsync, stop.Token);
            output.WriteLine($"worker: shard done: {final.Evaluated} instance(s) evaluated, {final.Resumed} resumed; request cache {final.CacheHits} hit(s), {final.CacheMisses} miss(es)");
            await shard.ReportCompletedAsync(assignment.Attempt, final);
            return WorkerExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("worker: stopped");
            return WorkerExitCodes.Stopped;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException or InstanceFormatException)
        {
            output.WriteLine($"worker: the evaluation cannot run as written: {e.Message}");
            return WorkerExitCodes.SpecError;
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
        }
    }

    private static async Task HeartbeatAsync(Func<ShardProgress> latest, IEvaluationShardGrain shard, int attempt, CancellationTokenSource stop, TextWriter output)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (await shard.ReportProgressAsync(attempt, latest()) != ReportAck.Stop) continue;
                    output.WriteLine("worker: the control plane ended this attempt");
                    await stop.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The control plane may be failing over; keep evaluating and try again next period.
                    output.WriteLine($"worker: progress report failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The shard finished or was stopped.
        }
    }
}
