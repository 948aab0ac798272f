using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Kernels.Tests.Pipeline;

public sealed class PipeDream2BWScheduleTests
{
    [Fact]
    public void Runs_across_batches_without_deadlock_and_never_needs_more_than_two_weight_versions()
    {
        for (var p = 1; p <= 8; p++)
        for (var m = p; m <= 32; m++)
        foreach (var batches in new[] { 1, 2, 4 })
        {
            var options = new PipelineScheduleOptions(PipelineScheduleKind.PipeDream2BW, p, m, Batches: batches);
            // The simulator throws when a step would keep a third version or a micro-batch's backward uses other
            // weights than its forward did.
            PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options));
        }
    }

    [Fact]
    public void Does_not_flush_between_batches_so_the_bubble_is_paid_once_per_schedule()
    {
        var options = new PipelineScheduleOptions(PipelineScheduleKind.PipeDream2BW, 4, 8, Batches: 4);
        var simulation = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options));
        Assert.Equal(3 / 32.0, simulation.IdleFraction, 12);
    }

    [Fact]
    public void Batch_t_computes_with_version_t_minus_one_and_each_step_creates_the_next_version()
    {
        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, 3, 4, Batches: 4));
        for (var stage = 0; stage < 3; stage++)
        {
            var program = schedule.For(stage);
            foreach (var op in program.Where(o => o.Kind is PipelineOperationKind.Forward or PipelineOperationKind.Backward))
                Assert.Equal(Math.Max(op.MicroBatch / 4 - 1, 0), op.WeightVersion);
            Assert.Equal([1, 2, 3, 4], program.Where(o => o.Kind == PipelineOperationKind.OptimizerStep).Select(o => o.WeightVersion));
            Assert.Equal([1, 2], program.Where(o => o.Kind == PipelineOperationKind.WeightVersionSwitch).Select(o => o.WeightVersion));
        }
    }

    [Fact]
    public void First_stage_starts_the_next_batch_before_the_current_one_has_drained()
    {
        var program = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, 4, 4, Batches: 2)).For(0);
        var firstForwardOfBatch1 = program.ToList().FindIndex(o => o.Kind == PipelineOperationKind.Forward && o.MicroBatch == 4);
        var firstStep = program.ToList().FindIndex(o => o.Kind == PipelineOperationKind.OptimizerStep);
        Assert.True(firstForwardOfBatch1 < firstStep);
    }
}
