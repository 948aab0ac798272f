using System.Diagnostics;
using Orchestrator.Simulation;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>The simulator's own speed: wall seconds to simulate 30 days of a 16,384-GPU cluster under the synthetic mix.</summary>
internal static class SimulationMeasurements
{
    public static SimulationScenario Scenario(int gpus, double days, int seed) => new(
        $"synthetic-{gpus}",
        seed,
        days * 86_400,
        new ClusterScenario([new GpuPool("h100-80gb", gpus)]),
        new WorkloadScenario(null, new SyntheticWorkload()),
        new FailureScenario(),
        new CheckpointScenario(),
        new RestartScenario(),
        new SchedulerScenario(),
        [],
        SampleSeconds: days * 86_400 / 500);

    public static void RecordThirtyDays(BenchmarkReport report, CancellationToken cancellationToken)
    {
        SimulationRunner.Run(Scenario(1024, 2, seed: 1), cancellationToken: cancellationToken); // warm-up (JIT, planner code)
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.GetTimestamp();
        var result = SimulationRunner.Run(Scenario(16_384, 30, seed: 42), cancellationToken: cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(clock).TotalSeconds;
        report.Add("sim_wall_seconds.gpus_16384_days_30", seconds, "s", new Dictionary<string, object>
        {
            ["target_s"] = 300.0, ["cpu_s"] = Math.Round((Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds, 1),
            ["jobs"] = result.JobsSubmitted, ["completed"] = result.JobsCompleted, ["passes"] = result.SchedulingPasses,
            ["device_failures"] = result.DeviceFailures, ["job_interruptions"] = result.JobInterruptions,
            ["mean_allocation"] = Math.Round(result.MeanAllocation, 3), ["goodput"] = Math.Round(result.Goodput, 4),
            ["mean_jct_h"] = Math.Round(result.MeanJctSeconds / 3600, 2), ["p99_queueing_h"] = Math.Round(result.P99QueueingSeconds / 3600, 2),
            ["load_average_1m"] = SchedulingMeasurements.LoadAverage(),
        });
    }
}
