using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduler;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>The planner's throughput per device type, as the scheduler hands it to the heterogeneity-aware policy.</summary>
public sealed class ThroughputPredictorTests
{
    private static TrainingJobSpec Spec(string? gpuType) => new(
        new JobMetadata("gpt"),
        new ModelSpec("gpt", 12, 768, 12, 1024, 50257),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(64, 100, new OptimizerSpec("adamw", 3e-4)),
        ParallelismSpec.Automatic,
        new ResourcesSpec(8, gpuType),
        new CheckpointSpec(),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(3, 1, 60));

    [Fact]
    public void An_open_type_job_gets_a_prediction_per_priced_type_and_the_newer_device_is_faster()
    {
        var predicted = new ThroughputPredictor().For(new QueuedJob("j", Spec(null), Jobs.T0, null, []), ["a100-80gb", "h100-80gb", "cpu", "h100-80gb"]);

        Assert.NotNull(predicted);
        Assert.Equal(["a100-80gb", "h100-80gb"], predicted.Keys.Order());
        Assert.True(predicted["h100-80gb"] > predicted["a100-80gb"], $"h100 {predicted["h100-80gb"]} vs a100 {predicted["a100-80gb"]} samples/s");
    }

    [Fact]
    public void Jobs_that_name_their_type_or_are_not_training_get_none()
    {
        var predictor = new ThroughputPredictor();

        Assert.Null(predictor.For(new QueuedJob("typed", Spec("h100-80gb"), Jobs.T0, null, []), ["h100-80gb"]));
        Assert.Null(predictor.For(new QueuedJob("shard", Spec(null), Jobs.T0, null, [], WorkloadKind.EvaluationShard), ["h100-80gb"]));
        Assert.Null(predictor.For(new QueuedJob("cpu-only", Spec(null), Jobs.T0, null, []), ["cpu"]));
    }
}
