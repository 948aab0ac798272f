using Orchestrator.Kernels.Moe;
using TorchSharp;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class ExpertParallelMoeTests
{
    public static TheoryData<int, int, bool> Cases()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var size in new[] { 2, 4 })
        {
            foreach (var topK in new[] { 1, 2 })
            {
                foreach (var skewed in new[] { false, true })
                {
                    data.Add(size, topK, skewed);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Each rank routes its own tokens; the group must compute, token for token, what one rank holding all experts
    /// computes, and its gradients must be that rank's: per-rank for the tokens, summed over ranks (the data-parallel
    /// all-reduce) for the replicated router, and the matching slice for each rank's experts.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Expert_parallel_group_equals_a_single_rank(int expertParallelSize, int topK, bool skewed)
    {
        var single = SmallOptions(experts: 8, topK);
        var sharded = single with { ExpertParallelSize = expertParallelSize };
        var reference = new DroplessMoeLayer(single, Seeded(71));
        reference.to(ScalarType.Float64);
        if (skewed)
        {
            // Everything goes to experts 6 and 7, held by the last rank; the other ranks receive no rows at all.
            ForceRouting(reference.Router, first: 6, second: 7);
        }

        var group = new InProcessExpertExchange(expertParallelSize, TimeSpan.FromSeconds(30));
        var layers = Enumerable.Range(0, expertParallelSize)
            .Select(rank => ExpertParallelMoe.Shard(reference, sharded, group.ForRank(rank)))
            .ToArray();
        // Uneven token counts per rank, one rank with a count that is not a multiple of the block size.
        var tokens = Enumerable.Range(0, expertParallelSize)
            .Select(rank => Tokens(9 + 7 * rank, single.HiddenSize, Seeded(80 + rank)).requires_grad_(true))
            .ToArray();
        var projections = tokens.Select((t, rank) => Projection(t.shape[0], single.HiddenSize, 90 + rank)).ToArray();

        var outputs = new Tensor[expertParallelSize];
        var failures = RunRanks(expertParallelSize, rank =>
        {
            var result = layers[rank].forward(tokens[rank]);
            ((result.Output * projections[rank]).sum() + result.RegularizationLoss).backward();
            outputs[rank] = result.Output.detach();
        });
        Assert.Empty(failures);

        var local = sharded.LocalExpertCount;
        for (var rank = 0; rank < expertParallelSize; rank++)
        {
            var expected = reference.forward(tokens[rank]);
            AssertClose(expected.Output.detach(), outputs[rank], $"output of rank {rank}");
            var shardGradient = tokens[rank].grad!.clone();
            tokens[rank].grad!.zero_();
            ((expected.Output * projections[rank]).sum() + expected.RegularizationLoss).backward();
            AssertClose(tokens[rank].grad!, shardGradient, $"token gradient of rank {rank}");
        }

        var routerGradient = layers.Select(l => l.Router.Weight.grad!).Aggregate((a, b) => a + b);
        AssertClose(reference.Router.Weight.grad!, routerGradient, "router gradient summed over ranks");
        for (var rank = 0; rank < expertParallelSize; rank++)
        {
            var experts = layers[rank].Experts;
            var inputGradient = experts.Input.grad ?? zeros_like(experts.Input);
            var outputGradient = experts.Output.grad ?? zeros_like(experts.Output);
            AssertClose(reference.Experts.Input.grad!.narrow(0, rank * local, local), inputGradient, $"expert input gradient of rank {rank}");
            AssertClose(reference.Experts.Output.grad!.narrow(0, rank * local, local), outputGradient, $"expert output gradient of rank {rank}");
        }
    }

    [Fact]
    public void A_shard_must_hold_its_share_of_the_experts()
    {
        var options = SmallOptions(experts: 8, topK: 1, expertParallelSize: 2);
        var group = new InProcessExpertExchange(2);
        var router = new TopKRouter(options, Seeded(95));
        var tooMany = new ExpertWeights(8, options.HiddenSize, options.FfnHiddenSize, Seeded(96));

        var error = Assert.Throws<ArgumentException>(
            () => new DroplessMoeLayer(options, router, tooMany, group.ForRank(0), GroupedProductStrategy.PerExpertGroups));

        Assert.Contains("must hold 4 experts", error.Message);
    }

    /// <summary>Runs one thread per rank, as the in-process group expects, and collects what any of them threw.</summary>
    private static List<Exception> RunRanks(int size, Action<int> body)
    {
        var failures = new List<Exception>();
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try
            {
                body(rank);
            }
            catch (Exception error)
            {
                lock (failures)
                {
                    failures.Add(error);
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return failures;
    }
}
