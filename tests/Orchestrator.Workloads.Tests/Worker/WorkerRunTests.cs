using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>
/// How a worker takes its share of an attempt that spans nodes, and what it refuses before it connects to the
/// control plane or allocates a tensor.
/// </summary>
public sealed class WorkerRunTests
{
    private static readonly JobPlan Plan = new(1, 1, 2, 1, 1, 4, "1f1b", "none", false, null, "fixed");

    private static readonly TrainingJobSpec Spec = new(
        new JobMetadata("spread", "default", 0), new ModelSpec("gpt", 2, 32, 4, 16, 64), new DataSpec("builtin:synthetic"),
        new TrainingSpec(8, 10, new OptimizerSpec("adamw", 3e-3)), new ParallelismSpec(false, 1, 1, 2, MicroBatch: 4),
        new ResourcesSpec(2, "cpu"), new CheckpointSpec(), RuntimeSpec.BuiltIn, new RestartPolicySpec(1, 0, 0));

    [Fact]
    public async Task An_attempt_spread_over_two_nodes_without_the_node_map_is_refused_as_a_spec_error_naming_what_is_missing()
    {
        // Rank 1 lives on another node; this worker hosts rank 0 only. No gateway answers: a refusal must come first.
        var assignment = Assignment(node: "node-a", rank: 0, nodes: null, nodeOfRank: null, root: "/tmp/store");
        using var output = new StringWriter();

        var exit = await WorkerRun.RunAsync(assignment, output, CancellationToken.None);

        Assert.Equal(WorkerExitCodes.SpecError, exit);
        Assert.Contains("has no Nodes and NodeOfRank", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_of_the_second_node_is_process_1_with_the_whole_placement_and_the_attempts_rendezvous()
    {
        var placement = WorkerPlacement.From(Assignment("node-b", rank: 1, ["node-a", "node-b"], [0, 1], "/data/store"), _ => null);

        Assert.NotNull(placement);
        Assert.Equal(1, placement.ThisProcess);
        Assert.Equal([0, 1], placement.ProcessOfRank);
        Assert.Equal(Path.Combine("/data/store", "rendezvous", "spread-1", "attempt-3"), placement.Rendezvous.StoreDirectory);
        Assert.Equal("127.0.0.1", placement.Rendezvous.Address);
        Assert.Equal("10.0.0.7", WorkerPlacement.From(Assignment("node-b", 1, ["node-a", "node-b"], [0, 1], "/data/store"), v => v == WorkerPlacement.AddressVariable ? "10.0.0.7" : null)!.Rendezvous.Address);
    }

    [Theory]
    [InlineData("node-b", 1, "0,0", "/data/store", "do not place this node's ranks 1 on node-b")]
    [InlineData("node-b", 1, "0", "/data/store", "NodeOfRank lists 1 ranks (needs 2")]
    [InlineData("node-b", 1, "0,1", null, "names no CheckpointRoot")]
    public void A_split_attempt_the_worker_cannot_connect_is_refused_naming_the_field(string node, int rank, string nodeOfRank, string? root, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerPlacement.From(
            Assignment(node, rank, ["node-a", "node-b"], nodeOfRank.Split(',').Select(int.Parse).ToList(), root), _ => null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static WorkerAssignment Assignment(string node, int rank, IReadOnlyList<string>? nodes, IReadOnlyList<int>? nodeOfRank, string? root) =>
        new("spread-1", 3, node, [new PlacedRank(rank, $"{node}/0", node)], 2, Plan, Spec, ["127.0.0.1:1"], "cluster", "service", null, 0,
            CheckpointRoot: root, Nodes: nodes, NodeOfRank: nodeOfRank);
}
