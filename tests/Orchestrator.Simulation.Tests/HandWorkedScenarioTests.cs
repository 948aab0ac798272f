using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Results;
using Orchestrator.Simulation.Scenarios;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Tests;

/// <summary>Small runs whose every start and end is worked out by hand.</summary>
public sealed class HandWorkedScenarioTests
{
    private static SimulationResult Run(SimulationScenario scenario, params WorkloadJob[] jobs) =>
        new Simulator(scenario, jobs, new StepTimes(), new Random(scenario.Seed)).Run();

    private static WorkloadJob Job(string id, double arrival, int gpus, double work) => new(id, arrival, gpus, work);

    [Fact]
    public void Two_jobs_on_16_gpus_run_one_after_the_other_when_the_first_takes_every_device()
    {
        // a (16 GPUs, 100 s) starts at 0; b (8 GPUs, 50 s) arrives at 10, waits for a's end at 100 and ends at 150.
        var result = Run(Scenarios.Small(16, 1000), Job("a", 0, 16, 100), Job("b", 10, 8, 50));

        Assert.Equal([("a", 0.0), ("b", 100.0)], result.Starts.Select(s => (s.JobId, s.Seconds)));
        Assert.Equal(2, result.JobsCompleted);
        Assert.Equal((100 + 140) / 2.0, result.MeanJctSeconds, 6);
        Assert.Equal((0 + 90) / 2.0, result.MeanQueueingSeconds, 6);
        Assert.Equal(150, result.MakespanSeconds!.Value, 6);
        Assert.Equal(150, result.SimulatedSeconds, 6);

        // Device-seconds held: 16 × 100 + 8 × 50 = 2,000 of 16 × 150 = 2,400 available; all of it useful work.
        Assert.Equal(2000.0 / 2400, result.Utilisation, 6);
        Assert.Equal(1.0, result.Goodput, 6);
    }

    [Fact]
    public void Checkpoint_saves_lengthen_a_job_by_one_save_per_interval_boundary_it_crosses()
    {
        // 100 s of work saved every 30 s with 5 s saves: saves after 30, 60 and 90 s of work, so 115 s of wall time.
        var scenario = Scenarios.Small(8, 1000, checkpoints: new CheckpointScenario(30, 5, 0));
        var result = Run(scenario, Job("a", 0, 8, 100));

        Assert.Equal(115, result.MeanJctSeconds, 6);
        Assert.Equal(100.0 / 115, result.Goodput, 6);
    }

    [Fact]
    public void A_short_job_backfills_around_a_blocked_head_but_a_long_one_waits_for_it()
    {
        // a holds 8 of 16 until 100. b (16) is the blocked head, reserved from 100. c (8 GPUs, 50 s) ends by 52, before
        // 100: it backfills at 2. d (8 GPUs, 200 s) would hold b's devices past 100: it waits until b ends at 200.
        var result = Run(Scenarios.Small(16, 10_000),
            Job("a", 0, 8, 100), Job("b", 1, 16, 100), Job("c", 2, 8, 50), Job("d", 3, 8, 200));

        Assert.Equal([("a", 0.0, false), ("c", 2.0, true), ("b", 100.0, false), ("d", 200.0, false)],
            result.Starts.Select(s => (s.JobId, s.Seconds, s.Backfilled)));
        Assert.Equal(400, result.MakespanSeconds!.Value, 6);
    }

    [Fact]
    public void A_job_larger_than_the_cluster_never_starts_and_is_reported_unfinished()
    {
        var result = Run(Scenarios.Small(8, 500), Job("big", 0, 16, 10), Job("small", 1, 8, 10));

        Assert.Equal(["small"], result.Starts.Select(s => s.JobId));
        Assert.Equal(1, result.JobsUnfinished);
        Assert.Equal(500, result.SimulatedSeconds, 6);
    }
}
