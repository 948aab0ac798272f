using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Jobs;

/// <summary>The job spec can describe context parallelism for the planner, but the control plane cannot run it yet and says so.</summary>
public sealed class ContextParallelSubmissionTests
{
    private static readonly InventorySnapshot Cluster = new("test", "file", [new NodeInfo("n0", "b0", "r0", "n0", "h100-80gb", 8)], []);

    [Fact]
    public void A_fixed_layout_with_context_above_1_is_refused_naming_the_field()
    {
        var spec = TestJobs.Tiny("cp", gpus: 8, gpuType: "h100-80gb") with
        {
            Training = new TrainingSpec(8, 10, new OptimizerSpec()),
            Parallelism = new ParallelismSpec(false, Tensor: 1, Pipeline: 1, Data: 4, MicroBatch: 1, Context: 2),
        };
        var error = Assert.Single(SubmissionValidator.Validate(spec, Cluster));
        Assert.Equal("spec.parallelism.context", error.Path);
        Assert.Contains("does not run context parallelism yet", error.Message);
        Assert.Empty(SubmissionValidator.Validate(spec with { Parallelism = spec.Parallelism with { Context = 1, Data = 8 } }, Cluster));
    }
}
