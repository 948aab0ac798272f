using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Execution.External;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Execution;

public sealed class TrainerEnvironmentTests
{
    private static readonly JobPlan Plan = new(2, 2, 4, 2, 1, 2, "1f1b", "none", false, null, "spec");

    private static WorkerAssignment Assignment(string node, IReadOnlyList<PlacedRank> ranks, IReadOnlyDictionary<string, string>? env = null, string? checkpoints = "/ckpt")
    {
        var spec = TestJobs.Tiny("env-job", steps: 300, gpus: 16) with { Runtime = new RuntimeSpec(null, ["python3", "train.py"], ["--fast"], env) };
        return new WorkerAssignment("env-job", 3, node, ranks.Where(r => r.Node == node).ToList(), ranks.Count, Plan, spec,
            ["127.0.0.1:30000"], "c", "s", null, 120, checkpoints, Nodes: ranks.Select(r => r.Node).Distinct().ToList());
    }

    private static IReadOnlyList<PlacedRank> TwoNodesOfEight() =>
        Enumerable.Range(0, 16).Select(r => new PlacedRank(r, $"{(r < 8 ? "n1" : "n0")}/gpu{r % 8}", r < 8 ? "n1" : "n0")).ToList();

    [Fact]
    public void Passes_the_context_parallel_size_of_the_plan()
    {
        var ranks = TwoNodesOfEight();
        var assignment = Assignment("n0", ranks) with { Plan = Plan with { Data = 2, Context = 2 } };
        var env = TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "gpt-a3-n0.gpt-a3", 29500), mps: false);
        Assert.Equal(("2", "2", "16"), (env["ORCH_CONTEXT"], env["ORCH_DATA"], env["WORLD_SIZE"]));
    }

    [Fact]
    public void Sets_the_torchrun_variables_and_the_plan()
    {
        var assignment = Assignment("n0", TwoNodesOfEight());
        var env = TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "gpt-a3-n0.gpt-a3", 29500), mps: false);

        Assert.Equal("gpt-a3-n0.gpt-a3", env["MASTER_ADDR"]);
        Assert.Equal("29500", env["MASTER_PORT"]);
        Assert.Equal("16", env["WORLD_SIZE"]);
        Assert.Equal("1", env["NODE_RANK"]);
        Assert.Equal("2", env["NNODES"]);
        Assert.Equal("8", env["NPROC_PER_NODE"]);
        Assert.Equal("8", env["LOCAL_WORLD_SIZE"]);
        Assert.Equal("1", env["PET_NODE_RANK"]);
        Assert.Equal("8", env["PET_NPROC_PER_NODE"]);
        Assert.False(env.ContainsKey("RANK"));
        Assert.Equal(("env-job", "3", "n0"), (env["ORCH_JOB"], env["ORCH_ATTEMPT"], env["ORCH_NODE"]));
        Assert.Equal(("2", "2", "4", "2", "1", "2"), (env["ORCH_TENSOR"], env["ORCH_PIPELINE"], env["ORCH_DATA"], env["ORCH_EXPERT"], env["ORCH_VIRTUAL_STAGES"], env["ORCH_MICRO_BATCH"]));
        Assert.Equal("1", env["ORCH_CONTEXT"]);
        Assert.Equal(("64", "300", "120"), (env["ORCH_GLOBAL_BATCH"], env["ORCH_STEPS"], env["ORCH_START_STEP"]));
        Assert.Equal(Path.Combine("/ckpt", "external", "env-job"), env["ORCH_CHECKPOINT_DIR"]);
        Assert.Equal(string.Join(',', Enumerable.Range(0, 8).Select(i => $"n0/gpu{i}")), env["ORCH_DEVICES"]);
    }

    [Fact]
    public void The_first_node_in_placement_order_is_the_master()
    {
        var ranks = TwoNodesOfEight();
        Assert.Equal(0, TrainerRendezvous.For(Assignment("n1", ranks), "m", 1).NodeRank);
        Assert.Equal(1, TrainerRendezvous.For(Assignment("n0", ranks), "m", 1).NodeRank);
    }

    [Fact]
    public void One_rank_per_node_makes_the_program_that_rank()
    {
        var ranks = new[] { new PlacedRank(0, "a/cpu0", "a"), new PlacedRank(1, "b/cpu0", "b") };
        var assignment = Assignment("b", ranks);
        var env = TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "127.0.0.1", 40000), mps: false);
        Assert.Equal(("1", "0", "1", "2"), (env["RANK"], env["LOCAL_RANK"], env["NODE_RANK"], env["WORLD_SIZE"]));
    }

    [Fact]
    public void The_users_variables_are_passed_but_never_override_the_control_planes()
    {
        var ranks = new[] { new PlacedRank(0, "a/cpu0", "a") };
        var assignment = Assignment("a", ranks, new Dictionary<string, string> { ["NCCL_DEBUG"] = "INFO", ["MASTER_PORT"] = "1" });
        var env = TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "127.0.0.1", 40000), mps: false);
        Assert.Equal("INFO", env["NCCL_DEBUG"]);
        Assert.Equal("40000", env["MASTER_PORT"]);
    }

    [Fact]
    public void Every_variable_the_control_plane_sets_is_reserved_from_the_users_env()
    {
        var assignment = Assignment("a", [new PlacedRank(0, "a/cpu0", "a")]);
        var env = TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "127.0.0.1", 40000), mps: false);
        foreach (var name in env.Keys)
        {
            Assert.True(TrainingJobSpecValidator.ReservedEnvironment.Contains(name)
                || TrainingJobSpecValidator.ReservedEnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)), name);
        }
    }

    [Fact]
    public void Without_a_checkpoint_root_there_is_no_checkpoint_directory()
    {
        var assignment = Assignment("a", [new PlacedRank(0, "a/cpu0", "a")], checkpoints: null);
        Assert.False(TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "127.0.0.1", 1), mps: false).ContainsKey("ORCH_CHECKPOINT_DIR"));
    }

    [Fact]
    public void A_gpu_share_is_told_its_fraction_and_under_mps_its_thread_percentage_rounded_up()
    {
        var ranks = new[] { new PlacedRank(0, "a/0", "a") };
        var share = Assignment("a", ranks) with { WorldSize = 1 };
        share = share with { Spec = share.Spec with { Resources = new ResourcesSpec(1, GpuFraction: 0.255) } };

        var mps = TrainerEnvironment.For(share, TrainerRendezvous.For(share, "127.0.0.1", 1), mps: true);
        var sliced = TrainerEnvironment.For(share, TrainerRendezvous.For(share, "127.0.0.1", 1), mps: false);
        var whole = GpuShareEnvironment.For(Assignment("a", ranks).Spec, mps: true);

        Assert.Equal("0.255", mps["ORCH_GPU_FRACTION"]);
        Assert.Equal("26", mps["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"]); // never less than it was packed for
        Assert.Equal("0.255", sliced["ORCH_GPU_FRACTION"]);
        Assert.False(sliced.ContainsKey("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"));
        Assert.Empty(whole);
    }

    [Fact]
    public void A_node_outside_the_attempt_is_refused()
    {
        var assignment = Assignment("a", [new PlacedRank(0, "a/cpu0", "a")]) with { Node = "z" };
        Assert.Throws<ArgumentException>(() => TrainerRendezvous.For(assignment, "127.0.0.1", 1));
    }
}
