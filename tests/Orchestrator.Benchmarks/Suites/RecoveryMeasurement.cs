using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Scheduler;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Recovery figures of the <c>checkpoint</c> suite, end to end on an embedded daemon with real worker processes:
/// the time from killing a worker to the next completed step (restart, re-plan, worker start, restore), over
/// <see cref="Kills"/> kills; and the goodput of a run killed every <see cref="KillEverySteps"/> steps against the
/// same run without failures. Method and results: docs/fault-tolerance.md ("Recovery").
/// </summary>
internal static class RecoveryMeasurement
{
    public const int Kills = 10;
    public const int KillEverySteps = 100;
    private const int CheckpointEverySteps = 10;
    private const int GoodputSteps = 500;
    // Enough CPU stand-in devices that the retries (which avoid the device a killed attempt ran on) never run out of
    // healthy ones: a device is marked failed after four faults in an hour.
    private const int LocalDevices = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        var options = new OrchestratorSiloOptions
        {
            DataDirectory = Path.Combine(scratch, "daemon"), LocalDevices = LocalDevices, MetricsPort = 0, SiloPort = LoopbackPorts.Free(), GatewayPort = LoopbackPorts.Free(),
            WorkerPath = typeof(RecoveryMeasurement).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OrchestratorWorkerPath").Value!,
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.AddOrchestratorSilo(options);
        builder.Services.Configure<JobSupervisionOptions>(o => o.CheckInterval = TimeSpan.FromMilliseconds(200));
        builder.Services.Configure<SchedulerOptions>(o => o.PassInterval = TimeSpan.FromMilliseconds(200));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var backend = (LocalProcessBackend)host.Services.GetRequiredService<IExecutionBackend>();
        await using var client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions { Gateways = [$"127.0.0.1:{options.GatewayPort}"] }, cancellationToken);

        await RecoveryTimesAsync(report, client, backend, cancellationToken);
        await GoodputAsync(report, client, backend, cancellationToken);
        await host.StopAsync(cancellationToken);
    }

    /// <summary>Kill the worker once the attempt has trained past a checkpoint; time until the next attempt reports a step.</summary>
    private static async Task RecoveryTimesAsync(BenchmarkReport report, OrchestratorClient client, LocalProcessBackend backend, CancellationToken cancellationToken)
    {
        var id = (await client.SubmitAsync(Spec("recovery", 1_000_000), cancellationToken)).Id;
        var seconds = new List<double>();
        var restoreSeconds = new List<double>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var running = await UntilAsync(client, id, j => j.CurrentAttempt is { Outcome: AttemptOutcome.Running } a
                && a.LastStep >= a.StartStep + CheckpointEverySteps + 2 && j.Checkpoints!.Any(c => c.Attempt == a.Number), cancellationToken);
            var attempt = running.CurrentAttempt!.Number;
            var killedAt = DateTimeOffset.UtcNow;
            foreach (var pid in backend.ProcessIdsOf(id)) Process.GetProcessById(pid).Kill();
            var resumed = await UntilAsync(client, id, j => j.CurrentAttempt is { } a && a.Number > attempt && a.LastStep > a.StartStep && j.Progress!.UpdatedAt > killedAt, cancellationToken);
            seconds.Add((resumed.Progress!.UpdatedAt - killedAt).TotalSeconds);
            var restored = resumed.Events.LastOrDefault(e => e.Reason.StartsWith("restored the checkpoint", StringComparison.Ordinal));
            if (restored is not null) restoreSeconds.Add((restored.Time - killedAt).TotalSeconds);
        }

        await client.CancelAsync(id, "benchmark done", cancellationToken);
        seconds.Sort();
        report.Add("recovery_seconds_p50", Statistics.Percentile(seconds, 0.50), "s", new Dictionary<string, object>
        {
            ["kills"] = Kills, ["samples"] = seconds, ["killToRestoreReportedSeconds"] = restoreSeconds, ["restartBackoffSeconds"] = 0,
        });
        report.Add("recovery_seconds_p99", Statistics.Percentile(seconds, 0.99), "s");
    }

    /// <summary>The same job with and without a kill every <see cref="KillEverySteps"/> steps; goodput as the job grain accounts it.</summary>
    private static async Task GoodputAsync(BenchmarkReport report, OrchestratorClient client, LocalProcessBackend backend, CancellationToken cancellationToken)
    {
        var clean = await RunToEndAsync(client, backend, "goodput-clean", killEvery: null, cancellationToken);
        var killed = await RunToEndAsync(client, backend, "goodput-killed", KillEverySteps, cancellationToken);
        report.Add("goodput", killed.Goodput!.Ratio, "ratio", Detail(killed));
        report.Add("goodput_no_failures", clean.Goodput!.Ratio, "ratio", Detail(clean));
        report.Add("goodput_relative", killed.Goodput.Ratio / clean.Goodput.Ratio, "ratio");
    }

    private static async Task<JobView> RunToEndAsync(OrchestratorClient client, LocalProcessBackend backend, string name, int? killEvery, CancellationToken cancellationToken)
    {
        var id = (await client.SubmitAsync(Spec(name, GoodputSteps), cancellationToken)).Id;
        var killedAtStep = 0L;
        while (true)
        {
            var job = await client.GetAsync(id, cancellationToken);
            if (job.IsTerminal) return job.State == JobState.Succeeded ? job : throw new InvalidOperationException($"{name} ended {job.State}: {job.Message}");
            if (killEvery is { } every && job.CurrentAttempt is { Outcome: AttemptOutcome.Running } a && job.Progress is { } p
                && p.Step >= killedAtStep + every && a.LastStep > a.StartStep && p.Step < GoodputSteps - every / 2)
            {
                killedAtStep = p.Step;
                foreach (var pid in backend.ProcessIdsOf(id)) Process.GetProcessById(pid).Kill();
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static Dictionary<string, object> Detail(JobView job) => new()
    {
        ["steps"] = GoodputSteps, ["attempts"] = job.Attempts.Count, ["usefulSeconds"] = job.Goodput!.UsefulSeconds, ["redoneSeconds"] = job.Goodput.RedoneSeconds,
        ["stallSeconds"] = job.Goodput.StallSeconds, ["wallSeconds"] = job.Goodput.WallSeconds, ["stepsRedone"] = job.Goodput.StepsRedone,
        ["checkpointEverySteps"] = CheckpointEverySteps, ["killEverySteps"] = KillEverySteps,
    };

    /// <summary>A small GPT on one CPU device: about a tenth of a second per step here.</summary>
    private static TrainingJobSpec Spec(string name, int steps) => new(
        new JobMetadata(name, "default", 0),
        new ModelSpec("gpt", 4, 128, 4, 64, 256),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(16, steps, new OptimizerSpec("adamw", 1e-3)),
        new ParallelismSpec(false, 1, 1, 1, MicroBatch: 16),
        new ResourcesSpec(1, "cpu"),
        new CheckpointSpec(CheckpointEverySteps, Keep: 2),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(MaxAttempts: 50, BackoffSeconds: 0, MaxBackoffSeconds: 0));

    private static async Task<JobView> UntilAsync(OrchestratorClient client, string id, Func<JobView, bool> condition, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var job = await client.GetAsync(id, cancellationToken);
            if (condition(job)) return job;
            if (job.IsTerminal || deadline.Elapsed > Patience) throw new TimeoutException($"job {id} is {job.State}; waited {deadline.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(20, cancellationToken);
        }
    }
}
