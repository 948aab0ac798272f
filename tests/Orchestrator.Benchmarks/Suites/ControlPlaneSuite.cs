using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>control-plane</c>: one silo (simulated backend) under the heartbeat path of 2,000 nodes at 1 Hz plus 100
/// running jobs reporting a heartbeat and a step at 1 Hz, driven over the gateway from a client; and gang placement
/// decision time. Results go in the README's performance section.
/// </summary>
internal sealed class ControlPlaneSuite : IBenchmarkSuite
{
    private const int Nodes = 2_000;
    private const int Jobs = 100;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    public string Name => "control-plane";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        PlacementMeasurements.RecordGangOn16k(report, cancellationToken);

        var directory = Path.Combine(Path.GetTempPath(), "orchestrator-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var inventory = Path.Combine(directory, "inventory.yaml");
        // 25 racks x 80 nodes x 8 H100 = 2,000 nodes, 16,000 devices.
        await File.WriteAllTextAsync(inventory, $$"""
            apiVersion: orchestrator/v1
            kind: Inventory
            metadata: { name: bench-2000 }
            spec:
              blocks:
                - name: b0
                  racks:
            {{string.Join("\n", Enumerable.Range(0, 25).Select(r => $"        - {{ name: r{r}, nodes: 80, gpusPerNode: 8, gpuType: h100-80gb }}"))}}
            """, cancellationToken);
        var options = new OrchestratorSiloOptions
        {
            DataDirectory = directory, Inventory = inventory, Backend = "simulated", MetricsPort = 0, SiloPort = 21111, GatewayPort = 40100,
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.AddOrchestratorSilo(options);
        builder.Services.Configure<JobSupervisionOptions>(o => o.HeartbeatTimeout = o.StartTimeout = TimeSpan.FromHours(1));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await using var client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions { Gateways = [$"127.0.0.1:{options.GatewayPort}"] }, cancellationToken);

        var jobs = new List<(IJobGrain Grain, int Attempt)>();
        for (var j = 0; j < Jobs; j++)
        {
            var job = await client.SubmitAsync(Spec(j), cancellationToken);
            jobs.Add((client.Grains.GetGrain<IJobGrain>(job.Id), 0));
        }

        for (var j = 0; j < Jobs; j++)
        {
            while ((await jobs[j].Grain.GetAsync())!.CurrentAttempt is not { } attempt) await Task.Delay(50, cancellationToken);
            jobs[j] = (jobs[j].Grain, (await jobs[j].Grain.GetAsync())!.CurrentAttempt!.Number);
        }

        var nodes = Enumerable.Range(0, Nodes).Select(n => client.Grains.GetGrain<INodeGrain>($"b0-r{n / 80}-n{n % 80:00}")).ToArray();
        var calls = new List<Func<Task>>();
        calls.AddRange(nodes.Select(node => (Func<Task>)(() => node.HeartbeatAsync(new NodeHeartbeat(DateTimeOffset.UtcNow)))));
        var step = 0L;
        foreach (var (grain, attempt) in jobs)
        {
            calls.Add(() => grain.HeartbeatAsync(attempt, "n"));
            calls.Add(() => grain.ReportStepAsync(attempt, "n", new StepReport(Interlocked.Increment(ref step), 2.5, 8192, 1, 8192)));
        }

        var latencies = await DriveAsync(calls, cancellationToken);
        latencies.Sort();
        var detail = new Dictionary<string, object>
        {
            ["offered_calls_per_s"] = calls.Count, ["nodes"] = Nodes, ["jobs"] = Jobs, ["duration_s"] = Duration.TotalSeconds,
            ["transport"] = "Orleans client over loopback TCP to one silo in the same process",
        };
        report.Add("heartbeat_calls_per_s", latencies.Count / Duration.TotalSeconds, "calls/s", detail);
        report.Add("heartbeat_p50_ms", Statistics.Percentile(latencies, 0.50), "ms", detail);
        report.Add("heartbeat_p99_ms", Statistics.Percentile(latencies, 0.99), "ms", detail);
        await host.StopAsync(cancellationToken);
    }

    /// <summary>Issues every call once per second, spread evenly over the second, for <see cref="Duration"/>.</summary>
    private static async Task<List<double>> DriveAsync(IReadOnlyList<Func<Task>> calls, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var pending = new List<Task>();
        const int slices = 50;
        var clock = Stopwatch.StartNew();
        for (var tick = 0; clock.Elapsed < Duration; tick++)
        {
            var slice = tick % slices;
            for (var i = slice; i < calls.Count; i += slices)
            {
                var call = calls[i];
                pending.Add(Timed(call, latencies));
            }

            var next = TimeSpan.FromSeconds((tick + 1) / (double)slices);
            if (next > clock.Elapsed) await Task.Delay(next - clock.Elapsed, cancellationToken);
        }

        await Task.WhenAll(pending);
        return latencies;
    }

    private static async Task Timed(Func<Task> call, List<double> latencies)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        lock (latencies) latencies.Add(elapsed);
    }

    private static TrainingJobSpec Spec(int index) => new(
        new JobMetadata($"bench-{index}"),
        new ModelSpec("gpt", 8, 512, 8, 256, 1024),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(64, 1_000_000, new OptimizerSpec()),
        new ParallelismSpec(false, Tensor: 8, MicroBatch: 8),
        new ResourcesSpec(8, "h100-80gb"),
        new CheckpointSpec(),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec());
}
