using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Jobs;

/// <summary>
/// A fixed layout with context parallelism is accepted and planned for a user's runtime, and refused, naming the field
/// and why, for the built-in runtime, which does not run ring attention.
/// </summary>
public sealed class ContextParallelSubmissionTests
{
    private static readonly InventorySnapshot Cluster = new("test", "file", [new NodeInfo("n0", "b0", "r0", "n0", "h100-80gb", 8)], []);

    private static TrainingJobSpec Spec(RuntimeSpec runtime) => TestJobs.Tiny("cp", gpus: 8, gpuType: "h100-80gb") with
    {
        Model = new ModelSpec("gpt", 4, 256, 4, 8192, 1024),
        Training = new TrainingSpec(8, 10, new OptimizerSpec()),
        Parallelism = new ParallelismSpec(false, Tensor: 1, Pipeline: 1, Data: 4, MicroBatch: 1, Context: 2),
        Runtime = runtime,
    };

    [Fact]
    public void The_built_in_runtime_is_refused_context_above_1_naming_the_field_and_the_way_out()
    {
        var spec = Spec(RuntimeSpec.BuiltIn);
        var error = Assert.Single(SubmissionValidator.Validate(spec, Cluster));
        Assert.Equal("spec.parallelism.context", error.Path);
        Assert.Contains("built-in TorchSharp runtime does not run context parallelism", error.Message);
        Assert.Contains("runtime.image", error.Message);
        Assert.Empty(SubmissionValidator.Validate(spec with { Parallelism = spec.Parallelism with { Context = 1, Data = 8 } }, Cluster));
    }

    [Fact]
    public void A_users_runtime_gets_context_parallelism_accepted_planned_and_placed_on_every_device()
    {
        var spec = Spec(new RuntimeSpec(Image: "registry.example/trainer:1"));
        Assert.Empty(SubmissionValidator.Validate(spec, Cluster));
        Assert.Empty(SubmissionValidator.Validate(spec with { Runtime = new RuntimeSpec(Command: ["python", "train.py"]) }, Cluster));

        // The planner prices the layout the spec fixes, context included, rather than refusing it.
        var estimate = new AutoLayoutChooser().EstimateFixed("cp", spec);
        Assert.NotNull(estimate);
        Assert.Equal(new ParallelLayout(1, 1, 4, 1, 1, 2), estimate.Choice.Layout);
        Assert.True(estimate.Cost.Breakdown.ContextCommunicationSeconds >= 0);
        var plan = Silo.Planner.SpecPlanning.Plan(estimate);
        Assert.Equal((2, 8), (plan.Context, plan.WorldSize));

        // Placement gives every rank of t x c x p x d a device, not just t x p x d of them.
        var topology = new ClusterTopology("test", [new NodeDescription("n0", "b0", "r0", "n0", "h100-80gb", 8)]);
        var placed = RankPlacer.Place(new FreeCapacityIndex(topology), new GangRequest(estimate.Choice.Layout, "h100-80gb"));
        Assert.True(placed.Succeeded, placed.FailureReason);
        Assert.Equal(8, placed.DeviceIds.Distinct().Count());
    }
}
