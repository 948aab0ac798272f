using Orchestrator.Silo.Scheduling.Policies;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>
/// On a saturated simulated cluster (1.3 times the GPU-hours it can serve offered, in equal parts by two queues weighted
/// 3:1), the fair-share policy gives each queue its weight's share of the allocated devices within 5 points; the
/// default policy, which serves jobs in submit order, gives them what they submit (about half each).
/// </summary>
public sealed class FairShareConvergenceTests
{
    internal static SimulationScenario Saturated(SchedulingPolicyKind policy, int seed = 5) =>
        Scenarios.Small(256, 2 * 86_400, synthetic: new SyntheticWorkload(Load: 1.3, MinGpus: 8, MaxGpus: 32, MedianHours: 1, Sigma: 0.8, MaxHours: 8),
            queues: [new QueueScenario("research", 3), new QueueScenario("product", 1)], seed: seed) with
        {
            // Reclaim preemption is how a queue under its share gets it back; saves cost a minute, as they would on a
            // real cluster (ReclaimThrashTests runs the same scenario with free saves).
            Scheduler = new SchedulerScenario(Policy: policy),
            Checkpoints = new CheckpointScenario(1800, 60, 120),
        };

    [Fact]
    public void Fair_share_converges_to_the_queue_weights_within_5_percent()
    {
        var fair = SimulationRunner.Run(Saturated(SchedulingPolicyKind.FairShare));
        var fifo = SimulationRunner.Run(Saturated(SchedulingPolicyKind.PriorityFifoBackfill));

        Assert.Equal(2, fair.Fairness.Count);
        Assert.True(fair.Samples.Count(s => s.WaitingQueues.Count == 2) > fair.Samples.Count / 2, "the cluster was not contended by both queues for most of the run");
        Assert.True(fair.FairShareMaxDeviation <= 0.05, $"fair share: {string.Join(", ", fair.Fairness)}");
        Assert.True(fair.JainIndex > 0.99, $"Jain's index {fair.JainIndex}");
        Assert.True(fifo.FairShareMaxDeviation > 0.15, $"submit order alone came within {fifo.FairShareMaxDeviation} of the weights: the test cannot tell policies apart");
    }
}
