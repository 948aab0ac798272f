using Orchestrator.Kernels.Moe;
using TorchSharp;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class DroplessMoeLayerTests
{
    public enum Routing
    {
        /// <summary>The random router: tokens spread over the experts.</summary>
        Uniform,

        /// <summary>Every token's first choice is expert 3 (second choice expert 5): all other experts are empty.</summary>
        FullySkewed,
    }

    public static TheoryData<int, Routing, long, GroupedProductStrategy> Cases()
    {
        var data = new TheoryData<int, Routing, long, GroupedProductStrategy>();
        foreach (var strategy in Enum.GetValues<GroupedProductStrategy>())
        {
            foreach (var topK in new[] { 1, 2 })
            {
                foreach (var routing in Enum.GetValues<Routing>())
                {
                    // 37 and 5 tokens are not multiples of the block size 8; 5 tokens over 8 experts leaves experts empty.
                    foreach (var tokens in new long[] { 37, 5, 16 })
                    {
                        data.Add(topK, routing, tokens, strategy);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_and_gradients_equal_a_naive_per_token_loop(int topK, Routing routing, long tokenCount, GroupedProductStrategy strategy)
    {
        var options = SmallOptions(experts: 8, topK);
        var layer = new DroplessMoeLayer(options, Seeded(11), strategy);
        layer.to(ScalarType.Float64);
        if (routing == Routing.FullySkewed)
        {
            ForceRouting(layer.Router, first: 3, second: 5);
        }

        var tokens = Tokens(tokenCount, options.HiddenSize, Seeded(12)).requires_grad_(true);
        var projection = Projection(tokenCount, options.HiddenSize, 13);
        var parameters = new Tensor[] { tokens, layer.Router.Weight, layer.Experts.Input, layer.Experts.Output };

        var result = layer.forward(tokens);
        ((result.Output * projection).sum() + result.RegularizationLoss).backward();
        var gradients = TakeGradients(parameters);

        var routed = layer.Router.forward(tokens);
        var expected = NaiveOutput(tokens, routed, layer.Experts);
        var regularization = routed.AuxiliaryLoss * options.AuxiliaryLossCoefficient + routed.ZLoss * options.ZLossCoefficient;
        ((expected * projection).sum() + regularization).backward();
        var expectedGradients = TakeGradients(parameters);

        AssertClose(expected, result.Output, "output");
        string[] names = ["tokens", "router weight", "expert input weights", "expert output weights"];
        for (var i = 0; i < names.Length; i++)
        {
            AssertClose(expectedGradients[i], gradients[i], $"gradient of {names[i]}");
        }

        if (routing == Routing.FullySkewed)
        {
            Assert.Equal(tokenCount, result.Statistics.AssignmentsPerExpert[3]);
            Assert.Equal(topK == 2 ? tokenCount : 0, result.Statistics.AssignmentsPerExpert[5]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Block_padded_groups_pad_each_expert_only_to_the_next_block_multiple_and_drop_nothing(int topK)
    {
        var options = SmallOptions(experts: 8, topK);
        var layer = new DroplessMoeLayer(options, Seeded(21), GroupedProductStrategy.BlockPaddedGroups);
        var result = layer.forward(Tokens(45, options.HiddenSize, Seeded(22)).to(ScalarType.Float32));

        var counts = result.Statistics.AssignmentsPerExpert;
        var expectedRows = counts.Sum(c => (c + options.BlockSize - 1) / options.BlockSize * options.BlockSize);
        Assert.Equal(45L * topK, counts.Sum());
        Assert.Equal(expectedRows, result.Statistics.ComputedRows);
        Assert.Equal(expectedRows - 45L * topK, result.Statistics.PaddingRows);
        Assert.True(result.Statistics.PaddingRows > 0, "45 tokens over 8 experts with block size 8 must leave some group short of a block");
        Assert.Equal(0, result.Statistics.DroppedAssignments);
        Assert.Equal(0, result.Statistics.DroppedTokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Exact_groups_compute_one_row_per_assignment_and_no_padding(int topK)
    {
        var options = SmallOptions(experts: 8, topK);
        var layer = new DroplessMoeLayer(options, Seeded(21));
        var result = layer.forward(Tokens(45, options.HiddenSize, Seeded(22)).to(ScalarType.Float32));

        Assert.Equal(45L * topK, result.Statistics.ComputedRows);
        Assert.Equal(0, result.Statistics.PaddingRows);
        Assert.Equal(0, result.Statistics.DroppedAssignments);
    }

    [Fact]
    public void Every_strategy_gives_the_same_output_as_exact_groups()
    {
        var options = SmallOptions(experts: 8, topK: 2);
        var exact = new DroplessMoeLayer(options, Seeded(41));
        exact.to(ScalarType.Float64);
        var tokens = Tokens(29, options.HiddenSize, Seeded(42));
        var expected = exact.forward(tokens).Output;
        foreach (var strategy in new[] { GroupedProductStrategy.BlockPaddedGroups, GroupedProductStrategy.BatchedPaddedGroups })
        {
            var other = new DroplessMoeLayer(options, exact.Router, exact.Experts, null, null, strategy);
            AssertClose(expected, other.forward(tokens).Output, $"output of {strategy}");
        }
    }

    [Fact]
    public void Keeps_the_input_shape_for_batched_sequences()
    {
        var options = SmallOptions(experts: 4, topK: 2);
        var layer = new DroplessMoeLayer(options, Seeded(31));
        var tokens = randn([3, 7, options.HiddenSize], generator: Seeded(32));

        var result = layer.forward(tokens);

        Assert.Equal(tokens.shape, result.Output.shape);
        var flat = layer.forward(tokens.reshape(21, options.HiddenSize)).Output;
        Assert.True(flat.reshape(3, 7, options.HiddenSize).allclose(result.Output));
    }

    [Fact]
    public void Rejects_a_capacity_factor_or_an_expert_parallel_size_without_a_group()
    {
        var withCapacity = SmallOptions(experts: 4, topK: 1) with { CapacityFactor = 1.25 };
        var capacityError = Assert.Throws<ArgumentException>(() => new DroplessMoeLayer(withCapacity));
        Assert.Contains(nameof(MoeOptions.CapacityFactor), capacityError.Message);

        var sharded = SmallOptions(experts: 4, topK: 1, expertParallelSize: 2);
        var shardError = Assert.Throws<ArgumentException>(() => new DroplessMoeLayer(sharded));
        Assert.Contains(nameof(MoeOptions.ExpertParallelSize), shardError.Message);
    }
}
