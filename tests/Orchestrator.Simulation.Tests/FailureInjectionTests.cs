using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Scenarios;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Tests;

/// <summary>Failures arrive at the configured per-GPU rate, and interrupted jobs lose only the work since their last checkpoint.</summary>
public sealed class FailureInjectionTests
{
    [Fact]
    public void Failures_arrive_at_the_configured_rate_per_gpu_hour()
    {
        // 1,024 GPUs for 30 days at 1e-3 per GPU-hour: 737.3 expected. A Poisson count's standard deviation is its
        // root (27); 4 of them either side would fail a correct simulator about once in 16,000 seeds (this one is fixed).
        const double rate = 1e-3;
        var scenario = Scenarios.Small(1024, 30 * 86_400, failuresPerGpuHour: rate) with { Seed = 11 };
        var result = new Simulator(scenario, [], new StepTimes(), new Random(scenario.Seed)).Run();

        var expected = rate * 1024 * 30 * 24;
        Assert.InRange(result.DeviceFailures, expected - 4 * Math.Sqrt(expected), expected + 4 * Math.Sqrt(expected));
    }

    [Fact]
    public void The_default_rate_is_llama_3s_419_interruptions_in_54_days_on_16384_gpus()
    {
        Assert.Equal(419, FailureScenario.Llama3PerGpuHour * 54 * 24 * 16_384, 6);
    }

    [Fact]
    public void An_interrupted_job_resumes_from_its_last_checkpoint_and_pays_the_restart()
    {
        // One 8-GPU job with 10,000 s of work, saves every 600 s (10 s each), restarts costing 100 s, on a cluster where
        // failures are frequent: it still finishes, every failure it met cost it some work, and goodput drops below 1.
        var scenario = Scenarios.Small(8, 10 * 86_400, failuresPerGpuHour: 0.02, checkpoints: new CheckpointScenario(600, 10, 100)) with { Seed = 3 };
        var result = new Simulator(scenario, [new WorkloadJob("a", 0, 8, 10_000)], new StepTimes(), new Random(scenario.Seed)).Run();

        Assert.Equal(1, result.JobsCompleted);
        Assert.True(result.JobInterruptions > 0, "no failure hit the job; raise the rate");
        Assert.Equal(result.JobInterruptions + 1, result.Starts.Count);
        var cleanWall = 10_000 + 16 * 10;
        Assert.True(result.MeanJctSeconds > cleanWall + 100 * result.JobInterruptions, $"JCT {result.MeanJctSeconds} does not include the restarts");
        Assert.InRange(result.Goodput, 0.5, 0.999);
    }
}
