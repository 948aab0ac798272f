using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The dense FFN doing the MoE layer's useful work: gelu(x·W1)·W2 over tokens·k rows of the same widths, then each
/// token's k output rows multiplied by (fixed) gate weights and summed, as the MoE's combine does. It has no router,
/// no permutation and no padding; its training step also computes the gradients of x, W1 and W2 (the gates are
/// constants here, the router's share of the MoE step).
/// </summary>
internal sealed class MoeDenseEquivalent
{
    private readonly Tensor _input;
    private readonly Tensor _up;
    private readonly Tensor _down;
    private readonly Tensor _gates;
    private readonly Tensor _upstream;
    private readonly long _tokens;
    private readonly int _topK;

    public MoeDenseEquivalent(int tokens, int topK, int hidden, int ffn, Tensor upstream, Generator generator)
    {
        _tokens = tokens;
        _topK = topK;
        _input = normal(0.0, 1.0, [tokens * topK, hidden], generator: generator).requires_grad_(true);
        _up = normal(0.0, 0.02, [hidden, ffn], generator: generator).requires_grad_(true);
        _down = normal(0.0, 0.02, [ffn, hidden], generator: generator).requires_grad_(true);
        _gates = nn.functional.softmax(normal(0.0, 1.0, [tokens, topK], generator: generator), -1);
        _upstream = upstream;
    }

    /// <summary>One forward pass, and with <paramref name="backward"/> its backward from the same upstream gradient as the MoE's.</summary>
    public void Step(bool backward)
    {
        using var scope = NewDisposeScope();
        using var noGrad = backward ? null : no_grad();
        var rows = nn.functional.gelu(_input.matmul(_up)).matmul(_down);
        var combined = (rows.view(_tokens, _topK, -1) * _gates.unsqueeze(-1)).sum(1);
        if (backward)
        {
            (combined * _upstream).sum().backward();
            foreach (var leaf in new[] { _input, _up, _down })
            {
                leaf.grad = null;
            }
        }
    }
}
