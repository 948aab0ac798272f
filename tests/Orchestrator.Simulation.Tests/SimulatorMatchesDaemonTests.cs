using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Tests;

/// <summary>
/// The same small scenario run both ways: in the simulator, and in a real in-process daemon (simulated backend, the
/// test acting as the workers) on an inventory with the simulator's node names. Both must start the jobs in the same
/// order on the same devices: a (8 GPUs), b (8), then c (16) once both have ended, and d (8, too long to backfill
/// ahead of c) after c.
/// </summary>
public sealed class SimulatorMatchesDaemonTests
{
    private static readonly (string Name, int Gpus, double Work)[] Jobs = [("a", 8, 100), ("b", 8, 200), ("c", 16, 100), ("d", 8, 500)];

    [Fact]
    public async Task The_simulator_and_the_daemon_start_the_same_jobs_in_the_same_order_on_the_same_devices()
    {
        var scenario = Scenarios.Small(16, 10_000);
        var simulated = new Simulator(scenario, Jobs.Select((j, i) => new WorkloadJob(j.Name, i, j.Gpus, j.Work, GpuType: "h100-80gb")).ToList(), new StepTimes(), new Random(1))
            .Run().Starts.Select(s => (s.JobId, Devices: string.Join(",", s.DeviceIds))).ToList();

        var daemon = await RunOnDaemonAsync(SimulatedCluster.Build(scenario.Cluster, "test").Nodes.Select(n => n.Name).ToList());

        Assert.Equal(["a", "b", "c", "d"], simulated.Select(s => s.JobId));
        Assert.Equal(simulated, daemon);
    }

    /// <summary>Submits the jobs to a daemon, completes each when the scenario's order says, and returns the starts seen.</summary>
    private static async Task<List<(string JobId, string Devices)>> RunOnDaemonAsync(IReadOnlyList<string> nodes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"sim-vs-daemon-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var inventory = Path.Combine(directory, "inventory.yaml");
        File.WriteAllText(inventory, $$"""
            apiVersion: orchestrator/v1
            kind: Inventory
            metadata: { name: test }
            spec:
              blocks:
                - name: h100-80gb-b0
                  racks:
                    - { name: r0, gpusPerNode: 8, gpuType: h100-80gb, nodes: [ {{string.Join(", ", nodes)}} ] }
            """);
        var options = new OrchestratorSiloOptions
        {
            DataDirectory = directory, Backend = "simulated", Inventory = inventory, MetricsPort = 0,
            SiloPort = FreePort(), GatewayPort = FreePort(), ClusterId = "sim-" + Path.GetFileName(directory),
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddOrchestratorSilo(options);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var backend = host.Services.GetRequiredService<SimulatedBackend>();
            var starts = new List<(string, string)>();
            foreach (var (name, gpus, _) in Jobs) await grains.GetGrain<IJobGrain>(name).SubmitAsync(Spec(name, gpus));

            // a and b start at once; c and d wait. Then each job ends in turn and the next one starts.
            await StartedAsync(backend, starts, "a", "b");
            foreach (var (ends, next) in new[] { ("a", (string?)null), ("b", "c"), ("c", "d"), ("d", null) })
            {
                await CompleteAsync(grains, backend, ends);
                if (next is not null) await StartedAsync(backend, starts, next);
            }

            return starts;
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task StartedAsync(SimulatedBackend backend, List<(string, string)> starts, params string[] jobs)
    {
        foreach (var job in jobs)
        {
            var ranks = await Until(() =>
            {
                var assigned = backend.Running.Where(a => a.JobId == job).ToList();
                var ranks = assigned.SelectMany(a => a.Ranks).DistinctBy(r => r.Rank).ToList();
                return assigned.Count > 0 && ranks.Count == assigned[0].WorldSize ? ranks : null;
            });
            starts.Add((job, string.Join(",", ranks.OrderBy(r => r.Rank).Select(r => r.DeviceId))));
        }

        // Give a wrong extra start (a backfill the simulator did not make) time to show, then look for one.
        await Task.Delay(300);
        Assert.All(backend.Running, a => Assert.Contains(a.JobId, starts.Select(s => s.Item1)));
    }

    private static async Task CompleteAsync(IGrainFactory grains, SimulatedBackend backend, string job)
    {
        var grain = grains.GetGrain<IJobGrain>(job);
        foreach (var assignment in backend.Running.Where(a => a.JobId == job).ToList())
        {
            await grain.HeartbeatAsync(assignment.Attempt, assignment.Node);
            await grain.ReportCompletedAsync(assignment.Attempt, assignment.Node);
        }

        await Until(async () => (await grain.GetAsync())?.State == JobState.Succeeded ? true : (bool?)null);
    }

    private static TrainingJobSpec Spec(string name, int gpus) => new(
        new JobMetadata(name),
        new ModelSpec("gpt", 2, 32, 4, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(4 * gpus, 20, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, 1, 1, gpus, MicroBatch: 4),
        new ResourcesSpec(gpus, "h100-80gb"),
        new CheckpointSpec(),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(1, 0.2, 1));

    private static async Task<T> Until<T>(Func<T?> probe) where T : class => await Until(() => Task.FromResult(probe()));

    private static async Task<T> Until<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(25);
        }

        throw new TimeoutException("the daemon did not get there within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
