using System.Diagnostics;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Kubernetes;
using Orchestrator.Kubernetes.Inventory;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>kubernetes</c>: the Kubernetes provider against the tests' fake API server on loopback, every request delayed by
/// <see cref="Latency"/>: listing 1,000 nodes and building the topology; a 128-node gang from its placement to its
/// 128th pod stored; and a node going NotReady to its attempt's end, through a whole silo. Figures go in docs/kubernetes.md.
/// </summary>
internal sealed class KubernetesSuite : IBenchmarkSuite
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(10);
    private const int GangNodes = 128;

    public string Name => "kubernetes";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        await InventorySyncAsync(report);
        await using var server = await FakeApiServer.StartAsync();
        for (var i = 0; i < GangNodes; i++) server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu($"node-{i:D3}", block: "b0", rack: $"r{i / 32}"));
        server.Kubelet = Kubelets.RunAsync;
        server.Latency = Latency;
        var directory = Path.Combine(Path.GetTempPath(), "orchestrator-bench", Guid.NewGuid().ToString("N"));
        var options = new OrchestratorSiloOptions { DataDirectory = directory, Backend = "kubernetes", MetricsPort = 0, SiloPort = LoopbackPorts.Free(), GatewayPort = LoopbackPorts.Free() };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.AddOrchestratorSilo(options, silo =>
        {
            silo.Services.AddSingleton(server.Client());
            silo.AddKubernetes(options, o => o.Namespace = "bench");
        });
        builder.Services.Configure<JobSupervisionOptions>(o => o.HeartbeatTimeout = o.StartTimeout = TimeSpan.FromHours(1));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await GangLaunchAsync(report, server, grains);
        await NodeLossAsync(report, server, grains);
        await host.StopAsync(cancellationToken);
    }

    private static async Task InventorySyncAsync(BenchmarkReport report)
    {
        await using var server = await FakeApiServer.StartAsync();
        for (var i = 0; i < 1000; i++) server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu($"node-{i:D4}", block: $"b{i / 256}", rack: $"r{i / 16}"));
        server.Latency = Latency;
        var client = server.Client();
        var options = new KubernetesBackendOptions();
        var times = new List<double>();
        for (var run = 0; run < 7; run++)
        {
            var watch = Stopwatch.StartNew();
            var (_, topology) = NodeInventoryBuilder.Build((await client.CoreV1.ListNodeAsync()).Items, options);
            if (topology!.Devices.Count != 8000) throw new InvalidOperationException("the inventory did not load whole");
            if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds); // two warm-up runs
        }

        Print(report, "inventory_sync_ms.nodes_1000", times, "list of 1,000 nodes through KubernetesClient + topology build; median of 5 after 2 warm-ups");
    }

    private static async Task GangLaunchAsync(BenchmarkReport report, FakeApiServer server, IGrainFactory grains)
    {
        var times = new List<double>();
        for (var run = 0; run < 4; run++)
        {
            var created = server.PodsCreated;
            var id = $"gang-{run}";
            await grains.GetGrain<IJobGrain>(id).SubmitAsync(Spec("gang", 8, GangNodes, RuntimeSpec.BuiltIn));
            await WhileAsync(() => server.PodsCreated - created < GangNodes, "the gang's pods to be created");
            var job = (await grains.GetGrain<IJobGrain>(id).GetAsync())!;
            var placed = job.Events.Last(e => e.To == JobState.Placed).Time;
            if (run >= 1) times.Add((server.LastPodCreatedAt - placed).TotalMilliseconds); // one warm-up run
            await grains.GetGrain<IJobGrain>(id).CancelAsync("benchmark run done");
            await WhileAsync(() => server.Pods.Items().Count > 0, "the gang's pods to be deleted");
        }

        Print(report, $"gang_launch_ms.pods_{GangNodes}.latency_10ms", times, "job's Placed event to its 128th pod stored by the API server (Service first, then pods at most 16 requests in flight); median of 3 after 1 warm-up");
    }

    private static async Task NodeLossAsync(BenchmarkReport report, FakeApiServer server, IGrainFactory grains)
    {
        var times = new List<double>();
        const string id = "lossy";
        await grains.GetGrain<IJobGrain>(id).SubmitAsync(Spec("lossy", 1, 1, new RuntimeSpec("bench/trainer:1", ["python", "train.py"])) with
        {
            RestartPolicy = new RestartPolicySpec(100, 0.01, 0.01),
        });
        for (var run = 0; run < 12; run++)
        {
            var job = await UntilAsync(grains, id, j => j.State == JobState.Running);
            var attempt = job.CurrentAttempt!.Number;
            var node = job.CurrentAttempt.Nodes[0];
            var watch = Stopwatch.StartNew();
            server.UpdateNode(node, TestNodes.MarkNotReady);
            await UntilAsync(grains, id, j => j.Attempts[attempt - 1].Outcome != AttemptOutcome.Running, TimeSpan.FromMilliseconds(2));
            if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds); // two warm-up runs
            server.UpdateNode(node, n => n.Status.Conditions = [new k8s.Models.V1NodeCondition { Type = "Ready", Status = "True" }]);
        }

        await grains.GetGrain<IJobGrain>(id).CancelAsync("benchmark run done");
        Print(report, "node_notready_to_attempt_end_ms_p50", times, "node set NotReady on the API server to the job's attempt ended (node watch -> pod backend -> job grain), polled every 2 ms; median of 10 after 2 warm-ups");
    }

    private static TrainingJobSpec Spec(string name, int tensor, int data, RuntimeSpec runtime) => new(
        new JobMetadata(name, "default", 0),
        new ModelSpec("gpt", 4, 64, 8, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(data, 1000, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, tensor, 1, data, MicroBatch: 1),
        new ResourcesSpec(tensor * data, "h100-80gb"),
        new CheckpointSpec(),
        runtime,
        new RestartPolicySpec());

    private static async Task<JobView> UntilAsync(IGrainFactory grains, string id, Func<JobView, bool> condition, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (await grains.GetGrain<IJobGrain>(id).GetAsync() is { } job && condition(job)) return job;
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(20));
        }

        throw new TimeoutException($"job {id} did not reach the expected state");
    }

    private static async Task WhileAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 2 minutes for {what}");
            await Task.Delay(5);
        }
    }

    private static void Print(BenchmarkReport report, string name, List<double> times, string method)
    {
        var median = Statistics.Median(times);
        report.Add(name, Math.Round(median, 1), "ms", new Dictionary<string, object>
        {
            ["method"] = method, ["latency_ms"] = Latency.TotalMilliseconds, ["runs_ms"] = times.Select(t => Math.Round(t, 1)).ToList(),
        });
    }
}
