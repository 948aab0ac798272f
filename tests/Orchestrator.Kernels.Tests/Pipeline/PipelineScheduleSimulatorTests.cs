using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>The simulator is what the schedule properties rest on, so it must reject broken programs.</summary>
public sealed class PipelineScheduleSimulatorTests
{
    private static readonly PipelineScheduleOptions TwoStages = new(PipelineScheduleKind.GPipe, 2, 1);

    private static PipelineOperation Op(PipelineOperationKind kind, int peer = -1) => new(kind, 0, 0, peer);

    [Fact]
    public void Reports_a_deadlock_when_both_ranks_wait_to_receive_first()
    {
        var schedule = new PipelineSchedule(TwoStages,
        [
            [Op(PipelineOperationKind.ReceiveGradient, 1), Op(PipelineOperationKind.Forward), Op(PipelineOperationKind.SendActivation, 1), Op(PipelineOperationKind.Backward), Op(PipelineOperationKind.OptimizerStep)],
            [Op(PipelineOperationKind.ReceiveActivation, 0), Op(PipelineOperationKind.Forward), Op(PipelineOperationKind.Backward), Op(PipelineOperationKind.SendGradient, 0), Op(PipelineOperationKind.OptimizerStep)],
        ]);
        var error = Assert.Throws<InvalidOperationException>(() => PipelineScheduleSimulator.Simulate(schedule));
        Assert.StartsWith("deadlock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_backward_before_its_forward()
    {
        var schedule = new PipelineSchedule(new(PipelineScheduleKind.GPipe, 1, 1),
            [[Op(PipelineOperationKind.Backward), Op(PipelineOperationKind.Forward), Op(PipelineOperationKind.OptimizerStep)]]);
        var error = Assert.Throws<InvalidOperationException>(() => PipelineScheduleSimulator.Simulate(schedule));
        Assert.Contains("backward before its forward", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_optimizer_step_before_the_flush()
    {
        var schedule = new PipelineSchedule(new(PipelineScheduleKind.GPipe, 1, 1),
            [[Op(PipelineOperationKind.Forward), Op(PipelineOperationKind.OptimizerStep), Op(PipelineOperationKind.Backward)]]);
        Assert.Throws<InvalidOperationException>(() => PipelineScheduleSimulator.Simulate(schedule));
    }
}
