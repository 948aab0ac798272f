using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

/// <summary>Small float64 MoE problems and the naive per-token reference the layers are checked against.</summary>
internal static class MoeTestKit
{
    public const double Tolerance = 1e-5;

    public static Generator Seeded(long seed)
    {
        TorchRuntime.EnsureLoaded();
        return new Generator((ulong)seed);
    }

    public static MoeOptions SmallOptions(int experts, int topK, int expertParallelSize = 1) =>
        new(HiddenSize: 12, FfnHiddenSize: 16, ExpertCount: experts, TopK: topK, BlockSize: 8,
            AuxiliaryLossCoefficient: 0.1, ZLossCoefficient: 0.01, ExpertParallelSize: expertParallelSize);

    /// <summary>Random tokens [count, hidden]; column 0 is a constant 1 so a router row-0 entry acts as a per-expert bias.</summary>
    public static Tensor Tokens(long count, int hidden, Generator generator)
    {
        var tokens = randn([count, hidden], dtype: ScalarType.Float64, generator: generator);
        tokens[.., 0] = ones([count], dtype: ScalarType.Float64);
        return tokens;
    }

    /// <summary>Biases the router so every token's first choice is <paramref name="first"/> and second is <paramref name="second"/>.</summary>
    public static void ForceRouting(TopKRouter router, int first, int second)
    {
        using var noGrad = no_grad();
        router.Weight[0, first] = tensor(40.0, dtype: router.Weight.dtype);
        router.Weight[0, second] = tensor(20.0, dtype: router.Weight.dtype);
    }

    /// <summary>sum_j gate[t, j] * gelu(x[t] @ W1[e]) @ W2[e], one token and one choice at a time.</summary>
    public static Tensor NaiveOutput(Tensor tokens, RouterOutput routed, ExpertWeights experts, Func<long, long, bool>? kept = null)
    {
        var indices = routed.ExpertIndices.data<long>().ToArray();
        var topK = routed.ExpertIndices.shape[1];
        var rows = new List<Tensor>();
        for (long token = 0; token < tokens.shape[0]; token++)
        {
            var sum = zeros([tokens.shape[1]], dtype: tokens.dtype);
            for (long choice = 0; choice < topK; choice++)
            {
                if (kept is not null && !kept(token, choice))
                {
                    continue;
                }

                var expert = indices[token * topK + choice];
                var row = tokens[token].unsqueeze(0);
                var output = nn.functional.gelu(row.matmul(experts.Input[expert])).matmul(experts.Output[expert]).squeeze(0);
                sum = sum + routed.GateWeights[token, choice] * output;
            }

            rows.Add(sum);
        }

        return rows.Count == 0 ? zeros([0, tokens.shape[1]], dtype: tokens.dtype) : stack(rows);
    }

    /// <summary>A fixed random projection so the loss depends on every output element differently.</summary>
    public static Tensor Projection(long count, int hidden, long seed) =>
        randn([count, hidden], dtype: ScalarType.Float64, generator: Seeded(seed));

    /// <summary>Gradients of <paramref name="tensors"/> (zeros where none arrived), then clears them.</summary>
    public static Tensor[] TakeGradients(params Tensor[] tensors)
    {
        var result = new Tensor[tensors.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var grad = tensors[i].grad;
            result[i] = grad is null ? zeros_like(tensors[i]) : grad.detach().clone();
            grad?.zero_();
        }

        return result;
    }

    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = expected.numel() == 0 ? 0 : (expected - actual).abs().max().item<double>();
        Assert.True(difference <= Tolerance, $"{what}: max |difference| {difference:E3} exceeds {Tolerance:E0}");
    }
}
