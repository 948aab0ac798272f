using System.Diagnostics;
using Orchestrator.Simulation;
using Orchestrator.Silo.Scheduling.Policies;
using Orchestrator.Simulation.Results;
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

    /// <summary>
    /// The fair-share policy on a saturated 256-GPU cluster (1.3× its GPU-hours offered, equally by two queues weighted
    /// 3:1, jobs of 8 to 32 GPUs, 2 simulated days): the largest gap between a queue's share of the allocated devices
    /// and its weight's share, while both queues had work waiting. The default policy's gap is recorded beside it.
    /// </summary>
    public static void RecordFairShare(BenchmarkReport report, CancellationToken cancellationToken)
    {
        SimulationResult Run(SchedulingPolicyKind policy) => SimulationRunner.Run(Scenario(256, 2, seed: 5) with
        {
            Workload = new WorkloadScenario(null, new SyntheticWorkload(Load: 1.3, MinGpus: 8, MaxGpus: 32, MedianHours: 1, Sigma: 0.8, MaxHours: 8)),
            Failures = new FailureScenario(0),
            Checkpoints = new CheckpointScenario(1800, 60, 120),
            Scheduler = new SchedulerScenario(Policy: policy),
            Queues = [new QueueScenario("research", 3), new QueueScenario("product", 1)],
        }, cancellationToken: cancellationToken);
        var fair = Run(SchedulingPolicyKind.FairShare);
        var fifo = Run(SchedulingPolicyKind.PriorityFifoBackfill);
        report.Add("fair_share_max_deviation", fair.FairShareMaxDeviation ?? double.NaN, "share", new Dictionary<string, object>
        {
            ["target"] = 0.05, ["jain_index"] = Math.Round(fair.JainIndex ?? double.NaN, 4), ["preemptions"] = fair.Preemptions,
            ["shares"] = string.Join(", ", fair.Fairness.Select(f => $"{f.Queue} {f.Share:F3} of target {f.Target:F3}")),
            ["priority_fifo_backfill_deviation"] = Math.Round(fifo.FairShareMaxDeviation ?? double.NaN, 4),
        });
    }
}
