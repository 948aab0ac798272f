using Orchestrator.Silo.Scheduling.Policies;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>
/// The fair-share convergence scenario with checkpoint saves that cost nothing: a victim releases its devices at the
/// moment it is preempted, so a reclaim that the next pass undid (the victim's queue, now below its share, taking the
/// freed devices back by borrowing, and being reclaimed from again) would repeat at one moment forever and the
/// simulator would stop with "virtual time is stuck". The preemptor starts first and at its planned size instead.
/// </summary>
public sealed class ReclaimThrashTests
{
    [Fact]
    public void Free_checkpoint_saves_neither_stall_virtual_time_nor_spoil_convergence()
    {
        var scenario = FairShareConvergenceTests.Saturated(SchedulingPolicyKind.FairShare) with { Checkpoints = new CheckpointScenario(1800, 0, 0) };

        var fair = SimulationRunner.Run(scenario);

        Assert.True(fair.Preemptions > 0, "no reclaim preemption happened: the scenario does not exercise reclaim");
        Assert.True(fair.FairShareMaxDeviation <= 0.05, $"fair share: {string.Join(", ", fair.Fairness)}");
    }
}
