using Orchestrator.Kernels.Moe;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class TopKRouterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Auxiliary_loss_matches_the_switch_formula(int topK)
    {
        var options = SmallOptions(experts: 6, topK);
        var router = new TopKRouter(options, Seeded(41));
        var tokens = randn([50, options.HiddenSize], generator: Seeded(42));

        var routed = router.forward(tokens);

        // E * sum_e f_e * P_e, f_e = share of the N*k assignments routed to e, P_e = mean router probability of e.
        var indices = routed.ExpertIndices.data<long>().ToArray();
        var probabilities = routed.Probabilities.data<float>().ToArray();
        double expected = 0;
        for (var expert = 0; expert < 6; expert++)
        {
            var share = indices.Count(i => i == expert) / (50.0 * topK);
            double meanProbability = 0;
            for (var token = 0; token < 50; token++)
            {
                meanProbability += probabilities[token * 6 + expert] / 50.0;
            }

            expected += share * meanProbability;
        }

        expected *= 6;
        Assert.Equal(expected, routed.AuxiliaryLoss.item<float>(), 1e-5);
    }

    [Fact]
    public void Auxiliary_loss_is_one_when_routing_and_probabilities_are_uniform()
    {
        var options = SmallOptions(experts: 4, topK: 1);
        var router = new TopKRouter(options, zeros([options.HiddenSize, 4]));
        // All logits tie, so every probability is 1/4 and every token goes to expert 0: f = (1, 0, 0, 0), P = 1/4 each.
        var routed = router.forward(randn([8, options.HiddenSize], generator: Seeded(43)));

        Assert.Equal(1.0, routed.AuxiliaryLoss.item<float>(), 1e-6);
    }

    [Fact]
    public void Z_loss_is_the_mean_squared_log_sum_exp_of_the_logits()
    {
        var options = SmallOptions(experts: 5, topK: 2);
        var router = new TopKRouter(options, Seeded(44));
        var tokens = randn([9, options.HiddenSize], dtype: ScalarType.Float64, generator: Seeded(45));
        var weight = router.Weight.to(ScalarType.Float64);
        var routerInFloat64 = new TopKRouter(options, weight);

        var routed = routerInFloat64.forward(tokens);

        var logits = tokens.matmul(weight).data<double>().ToArray();
        double expected = 0;
        for (var token = 0; token < 9; token++)
        {
            var row = logits.Skip(token * 5).Take(5).ToArray();
            var max = row.Max();
            var logSumExp = max + Math.Log(row.Sum(l => Math.Exp(l - max)));
            expected += logSumExp * logSumExp / 9;
        }

        Assert.Equal(expected, routed.ZLoss.item<double>(), 1e-10);
    }

    [Fact]
    public void Ties_go_to_the_lower_expert_index()
    {
        var options = SmallOptions(experts: 4, topK: 2);
        var weight = zeros([options.HiddenSize, 4]);
        // Experts 1 and 3 tie for first place, 0 and 2 tie below them.
        weight[0, 1] = tensor(1f);
        weight[0, 3] = tensor(1f);
        var router = new TopKRouter(options, weight);
        var tokens = zeros([6, options.HiddenSize]);
        tokens[.., 0] = ones([6]);

        var routed = router.forward(tokens);

        var indices = routed.ExpertIndices.data<long>().ToArray();
        for (var token = 0; token < 6; token++)
        {
            Assert.Equal(1, indices[token * 2]);
            Assert.Equal(3, indices[token * 2 + 1]);
        }
    }

    [Fact]
    public void Top_two_gate_weights_are_the_two_largest_probabilities_renormalised()
    {
        var options = SmallOptions(experts: 5, topK: 2);
        var router = new TopKRouter(options, Seeded(46));

        var routed = router.forward(randn([7, options.HiddenSize], generator: Seeded(47)));

        var sorted = routed.Probabilities.sort(-1, descending: true).Values;
        var top = sorted.narrow(-1, 0, 2);
        Assert.True((top / top.sum(-1, keepdim: true)).allclose(routed.GateWeights, rtol: 1e-5, atol: 1e-6));
        Assert.True(routed.Probabilities.gather(-1, routed.ExpertIndices).allclose(top, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Top_one_gate_weight_is_the_largest_probability()
    {
        var options = SmallOptions(experts: 5, topK: 1);
        var router = new TopKRouter(options, Seeded(48));

        var routed = router.forward(randn([7, options.HiddenSize], generator: Seeded(49)));

        Assert.True(routed.Probabilities.max(-1, keepdim: true).values.allclose(routed.GateWeights));
    }

    [Fact]
    public void Rejects_input_of_the_wrong_width()
    {
        var options = SmallOptions(experts: 4, topK: 1);
        var router = new TopKRouter(options, Seeded(50));

        var error = Assert.Throws<ArgumentException>(() => router.forward(randn([3, options.HiddenSize + 1])));

        Assert.Contains($"[tokens, {options.HiddenSize}]", error.Message);
    }
}
