using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Moe;
using TorchSharp;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class ExpertParallelMoeTests
{
    public static TheoryData<int, int, int, bool, GroupedProductStrategy> Cases()
    {
        var data = new TheoryData<int, int, int, bool, GroupedProductStrategy>();
        foreach (var strategy in Enum.GetValues<GroupedProductStrategy>())
        {
            foreach (var (tensor, expert) in new[] { (1, 2), (1, 4), (2, 2) })
            {
                foreach (var topK in new[] { 1, 2 })
                {
                    foreach (var skewed in new[] { false, true })
                    {
                        data.Add(tensor, expert, topK, skewed, strategy);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Every data-parallel replica routes its own tokens; the grid must compute, token for token, what one rank holding
    /// all experts computes on those tokens, with that rank's gradients: for the tokens and the replicated router on
    /// every rank, and for each rank's expert slice once summed over the tensor group and the replicas.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Expert_parallel_grid_equals_a_single_rank(
        int tensorParallelSize, int expertParallelSize, int topK, bool skewed, GroupedProductStrategy strategy)
    {
        var single = SmallOptions(experts: 8, topK);
        var sharded = single with { ExpertParallelSize = expertParallelSize };
        var reference = new DroplessMoeLayer(single, Seeded(71));
        reference.to(ScalarType.Float64);
        if (skewed)
        {
            // Everything goes to experts 6 and 7, held by the last expert rank; the others receive no rows at all.
            ForceRouting(reference.Router, first: 6, second: 7);
        }

        var grid = new ParallelGrid(TensorParallelSize: tensorParallelSize, DataParallelSize: expertParallelSize, ExpertParallelSize: expertParallelSize);
        var world = new InProcessWorld(grid, TimeSpan.FromSeconds(60));
        // Uneven token counts per replica (even, so they split over two tensor ranks), none a multiple of the block size.
        var tokens = Enumerable.Range(0, expertParallelSize)
            .Select(replica => Tokens(10 + 6 * replica, single.HiddenSize, Seeded(80 + replica)))
            .ToArray();
        var projections = tokens.Select((t, replica) => Projection(t.shape[0], single.HiddenSize, 90 + replica)).ToArray();

        var results = world.Run(groups =>
        {
            var replica = groups.Coordinates.Data;
            var layer = ExpertParallelMoe.Shard(reference, sharded, groups, strategy: strategy);
            var input = tokens[replica].detach().clone().requires_grad_(true);
            var result = layer.forward(input);
            ((result.Output * projections[replica]).sum() + result.RegularizationLoss).backward();
            return (Replica: replica, ExpertRank: groups.Expert.Rank, Output: result.Output.detach(), TokenGradient: input.grad!.clone(),
                RouterGradient: layer.Router.Weight.grad!.clone(), InputGradient: layer.Experts.Input.grad!.clone(),
                OutputGradient: layer.Experts.Output.grad!.clone());
        });

        var expectedTokenGradients = new Tensor[expertParallelSize];
        var expectedRouterGradients = new Tensor[expertParallelSize];
        for (var replica = 0; replica < expertParallelSize; replica++)
        {
            var input = tokens[replica].detach().clone().requires_grad_(true);
            var expected = reference.forward(input);
            ((expected.Output * projections[replica]).sum() + expected.RegularizationLoss).backward();
            expectedTokenGradients[replica] = input.grad!.clone();
            expectedRouterGradients[replica] = reference.Router.Weight.grad!.clone();
            reference.Router.Weight.grad!.zero_();
            foreach (var rank in results.Where(r => r.Replica == replica))
            {
                AssertClose(expected.Output.detach(), rank.Output, $"output of replica {replica}");
                AssertClose(expectedTokenGradients[replica], rank.TokenGradient, $"token gradient of replica {replica}");
                AssertClose(expectedRouterGradients[replica], rank.RouterGradient, $"router gradient of replica {replica}");
            }
        }

        // Expert gradients accumulated over all replicas in the reference; in the grid, each expert slice's gradient is
        // spread over the tensor ranks and the replicas that hold it.
        var local = sharded.LocalExpertCount;
        for (var expertRank = 0; expertRank < expertParallelSize; expertRank++)
        {
            var holders = results.Where(r => r.ExpertRank == expertRank).ToArray();
            AssertClose(reference.Experts.Input.grad!.narrow(0, expertRank * local, local),
                holders.Select(r => r.InputGradient).Aggregate((a, b) => a + b), $"expert input gradient of expert rank {expertRank}");
            AssertClose(reference.Experts.Output.grad!.narrow(0, expertRank * local, local),
                holders.Select(r => r.OutputGradient).Aggregate((a, b) => a + b), $"expert output gradient of expert rank {expertRank}");
        }
    }

    [Fact]
    public void Ranks_built_from_one_seed_hold_slices_of_the_same_layer()
    {
        var options = SmallOptions(experts: 8, topK: 2, expertParallelSize: 4);
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 4, ExpertParallelSize: 4));

        var slices = world.Run(groups =>
        {
            var layer = DroplessMoeLayer.ForRank(options, groups, seed: 7);
            return (groups.Expert.Rank, Router: layer.Router.Weight.detach().clone(), Input: layer.Experts.Input.detach().clone());
        });

        var alone = new InProcessWorld(new ParallelGrid()).GroupsOf(0);
        var single = DroplessMoeLayer.ForRank(options with { ExpertParallelSize = 1 }, alone, seed: 7);
        foreach (var (rank, router, input) in slices)
        {
            Assert.True(single.Router.Weight.eq(router).all().item<bool>());
            Assert.True(single.Experts.Input.narrow(0, rank * 2, 2).eq(input).all().item<bool>());
        }
    }

    [Fact]
    public void A_rank_refuses_an_expert_parallel_size_other_than_its_groups()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2, ExpertParallelSize: 2));
        var options = SmallOptions(experts: 8, topK: 1, expertParallelSize: 4);

        var error = Assert.Throws<ArgumentException>(() => DroplessMoeLayer.ForRank(options, world.GroupsOf(0), seed: 1));

        Assert.Contains("expert-parallel group has 2 ranks", error.Message);
    }

    [Fact]
    public void A_shard_must_hold_its_share_of_the_experts()
    {
        var options = SmallOptions(experts: 8, topK: 1, expertParallelSize: 2);
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2, ExpertParallelSize: 2));
        var router = new TopKRouter(options, Seeded(95));
        var tooMany = new ExpertWeights(8, options.HiddenSize, options.FfnHiddenSize, Seeded(96));

        var error = Assert.Throws<ArgumentException>(
            () => new DroplessMoeLayer(options, router, tooMany, world.GroupsOf(0).Expert, null, GroupedProductStrategy.ExactGroups));

        Assert.Contains("must hold 4 experts", error.Message);
    }
}
