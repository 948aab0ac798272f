using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>What a worker refuses before it connects to the control plane or allocates a tensor.</summary>
public sealed class WorkerRunTests
{
    [Fact]
    public async Task An_attempt_spread_over_two_nodes_is_refused_so_no_worker_trains_the_whole_model_twice()
    {
        var spec = new TrainingJobSpec(
            new JobMetadata("spread", "default", 0), new ModelSpec("gpt", 2, 32, 4, 16, 64), new DataSpec("builtin:synthetic"),
            new TrainingSpec(8, 10, new OptimizerSpec("adamw", 3e-3)), new ParallelismSpec(false, 1, 1, 2, MicroBatch: 4),
            new ResourcesSpec(2, "cpu"), new CheckpointSpec(), RuntimeSpec.BuiltIn, new RestartPolicySpec(1, 0, 0));
        var plan = new JobPlan(1, 1, 2, 1, 1, 4, "1f1b", "none", false, null, "fixed");
        // Rank 1 lives on another node; this worker hosts rank 0 only. No gateway answers: a refusal must come first.
        var assignment = new WorkerAssignment("spread-1", 1, "node-a", [new PlacedRank(0, "node-a/0", "node-a")], 2, plan, spec,
            ["127.0.0.1:1"], "cluster", "service", null, 0);
        using var output = new StringWriter();

        var exit = await WorkerRun.RunAsync(assignment, output, CancellationToken.None);

        Assert.Equal(WorkerExitCodes.SpecError, exit);
        Assert.Contains("runs all 2 ranks of an attempt in one process", output.ToString(), StringComparison.Ordinal);
    }
}
