using Orchestrator.Kernels.Moe;
using TorchSharp;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class CapacityFactorMoeLayerTests
{
    [Theory]
    [InlineData(1, 1.0, 30)]
    [InlineData(1, 1.25, 30)]
    [InlineData(2, 1.0, 30)]
    [InlineData(2, 2.0, 17)]
    [InlineData(2, 0.5, 9)]
    public void Keeps_exactly_the_assignments_the_capacity_rule_admits(int topK, double factor, long tokenCount)
    {
        var options = SmallOptions(experts: 4, topK) with { CapacityFactor = factor };
        var layer = new CapacityFactorMoeLayer(options, Seeded(61));
        layer.to(ScalarType.Float64);
        var tokens = Tokens(tokenCount, options.HiddenSize, Seeded(62)).requires_grad_(true);
        var projection = Projection(tokenCount, options.HiddenSize, 63);
        var parameters = new Tensor[] { tokens, layer.Router.Weight, layer.Experts.Input, layer.Experts.Output };

        var result = layer.forward(tokens);
        (result.Output * projection).sum().backward();
        var gradients = TakeGradients(parameters);

        var routed = layer.Router.forward(tokens);
        var kept = AdmittedByCapacityRule(routed.ExpertIndices, experts: 4, factor);
        var expected = NaiveOutput(tokens, routed, layer.Experts, (token, choice) => kept[token, choice]);
        (expected * projection).sum().backward();
        var expectedGradients = TakeGradients(parameters);

        AssertClose(expected, result.Output, "output");
        for (var i = 0; i < parameters.Length; i++)
        {
            AssertClose(expectedGradients[i], gradients[i], $"gradient {i}");
        }

        var dropped = kept.Cast<bool>().Count(k => !k);
        var droppedTokens = Enumerable.Range(0, (int)tokenCount).Count(t => Enumerable.Range(0, topK).All(c => !kept[t, c]));
        Assert.Equal(dropped, result.Statistics.DroppedAssignments);
        Assert.Equal(droppedTokens, result.Statistics.DroppedTokens);
        Assert.Equal(4 * layer.Capacity(tokenCount), result.Statistics.ComputedRows);
        Assert.Equal(result.Statistics.ComputedRows - (tokenCount * topK - dropped), result.Statistics.PaddingRows);
    }

    [Fact]
    public void Overflow_of_a_fully_skewed_router_passes_through_as_zeros()
    {
        // 20 tokens, 4 experts, k = 2, factor 1: capacity ceil(1 * 2 * 20 / 4) = 10. All first choices go to expert 3 and
        // all second choices to expert 1, so tokens 0-9 keep both choices and tokens 10-19 lose both.
        var options = SmallOptions(experts: 4, topK: 2) with { CapacityFactor = 1.0 };
        var layer = new CapacityFactorMoeLayer(options, Seeded(64));
        layer.to(ScalarType.Float64);
        ForceRouting(layer.Router, first: 3, second: 1);
        var tokens = Tokens(20, options.HiddenSize, Seeded(65));

        var result = layer.forward(tokens);

        Assert.Equal(10, layer.Capacity(20));
        Assert.Equal(20, result.Statistics.DroppedAssignments);
        Assert.Equal(10, result.Statistics.DroppedTokens);
        Assert.Equal(0.5, result.Statistics.DroppedAssignmentFraction);
        Assert.Equal(0.0, result.Output.narrow(0, 10, 10).abs().max().item<double>());
        Assert.True(result.Output.narrow(0, 0, 10).abs().min(1).values.gt(0).all().item<bool>());
        // Experts 1 and 3 are full; experts 0 and 2 receive nothing, so their 2 * 10 slots are all padding.
        Assert.Equal(20, result.Statistics.PaddingRows);
    }

    [Fact]
    public void Requires_a_capacity_factor()
    {
        var error = Assert.Throws<ArgumentException>(() => new CapacityFactorMoeLayer(SmallOptions(experts: 4, topK: 1)));

        Assert.Contains(nameof(MoeOptions.CapacityFactor), error.Message);
    }

    /// <summary>GShard's rule written out: first choices in token order, then second choices, each taking a free slot.</summary>
    private static bool[,] AdmittedByCapacityRule(Tensor expertIndices, int experts, double factor)
    {
        var tokens = (int)expertIndices.shape[0];
        var topK = (int)expertIndices.shape[1];
        var capacity = (int)Math.Ceiling(factor * topK * tokens / experts);
        var indices = expertIndices.data<long>().ToArray();
        var used = new int[experts];
        var kept = new bool[tokens, topK];
        for (var choice = 0; choice < topK; choice++)
        {
            for (var token = 0; token < tokens; token++)
            {
                var expert = indices[token * topK + choice];
                if (used[expert] < capacity)
                {
                    used[expert]++;
                    kept[token, choice] = true;
                }
            }
        }

        return kept;
    }
}
