using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>Scenario files: what a good one means, and errors that name the field and what is allowed.</summary>
public sealed class ScenarioReaderTests
{
    private const string Good = """
        kind: Simulation
        name: mix
        seed: 9
        duration: 2d
        cluster:
          pools:
            - { gpuType: h100-80gb, gpus: 1024 }
            - { gpuType: a100-80gb, gpus: 512 }
        workload:
          synthetic: { load: 0.8, minGpus: 8, maxGpus: 512, medianHours: 3 }
        failures: { perGpuHour: 1e-4, repair: 30m }
        checkpoints: { interval: 1h, save: 90s, restart: 4m }
        restart: { maxAttempts: 7, backoff: 5s }
        scheduler: { backfill: false }
        queues:
          - { name: research, weight: 2 }
          - { name: product }
        """;

    private static SimulationScenario Parse(string yaml) => ScenarioReader.Parse(yaml, "s.yaml", Path.GetTempPath());

    [Fact]
    public void A_good_file_reads_into_the_scenario_it_describes()
    {
        var s = Parse(Good);

        Assert.Equal(("mix", 9, 2 * 86_400.0), (s.Name, s.Seed, s.DurationSeconds));
        Assert.Equal([new GpuPool("h100-80gb", 1024), new GpuPool("a100-80gb", 512)], s.Cluster.Pools);
        Assert.Equal(new SyntheticWorkload(Load: 0.8, MinGpus: 8, MaxGpus: 512, MedianHours: 3), s.Workload.Synthetic);
        Assert.Equal(new FailureScenario(1e-4, 1800), s.Failures);
        Assert.Equal(new CheckpointScenario(3600, 90, 240), s.Checkpoints);
        Assert.Equal((7, 5.0), (s.Restart.MaxAttempts, s.Restart.BackoffSeconds));
        Assert.False(s.Scheduler.Backfill);
        Assert.Equal([new QueueScenario("research", 2), new QueueScenario("product", 1)], s.Queues);
    }

    [Fact]
    public void Defaults_are_llama_3s_failure_rate_and_half_hour_checkpoints()
    {
        var s = Parse("kind: Simulation\nduration: 1h\ncluster: { gpuType: h100-80gb, gpus: 8 }\nworkload: { synthetic: {} }\n");

        Assert.Equal(FailureScenario.Llama3PerGpuHour, s.Failures.PerGpuHour);
        Assert.Equal(1800, s.Checkpoints.IntervalSeconds);
    }

    [Theory]
    [InlineData("gpus: 1024 }", "gpus: 1020 }", "cluster.pools[0].gpus must be a multiple of 8")]
    [InlineData("gpuType: a100-80gb", "gpuType: z9000", "cluster.pools[1].gpuType 'z9000' is not in the hardware catalog")]
    [InlineData("duration: 2d", "duration: 2 weeks", "duration must be a duration")]
    [InlineData("load: 0.8", "load: -1", "workload.synthetic.load must be a number above 0")]
    [InlineData("maxGpus: 512", "maxGpus: 500", "workload.synthetic.maxGpus must be minGpus (8) times a power of two")]
    [InlineData("backfill: false", "backfil: false", "scheduler.backfil is not a known field")]
    [InlineData("{ name: product }", "{ name: Product }", "queues[1].name 'Product' is not a queue name")]
    [InlineData("{ name: product }", "{ name: research }", "queues lists queue research twice")]
    [InlineData("kind: Simulation", "kind: TrainingJob", "kind must be Simulation")]
    [InlineData("interval: 1h", "interval: soon", "checkpoints.interval must be a duration")]
    public void A_bad_value_is_refused_naming_its_field(string from, string to, string expected)
    {
        var error = Assert.Throws<ScenarioException>(() => Parse(Good.Replace(from, to, StringComparison.Ordinal)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("s.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_needs_exactly_one_of_a_trace_or_a_synthetic_mix()
    {
        var neither = Assert.Throws<ScenarioException>(() => Parse("kind: Simulation\nduration: 1h\ncluster: { gpuType: h100-80gb, gpus: 8 }\nworkload: {}\n"));
        var missing = Assert.Throws<ScenarioException>(() => Parse("kind: Simulation\nduration: 1h\ncluster: { gpuType: h100-80gb, gpus: 8 }\nworkload: { trace: nowhere.csv }\n"));

        Assert.Contains("workload must give exactly one of trace", neither.Message, StringComparison.Ordinal);
        Assert.Contains("workload.trace names no file", missing.Message, StringComparison.Ordinal);
    }
}
