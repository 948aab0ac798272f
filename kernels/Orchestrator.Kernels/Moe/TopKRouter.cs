using Orchestrator.Kernels.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Top-k softmax gating (k = 1 Switch, k = 2 GShard) with the load-balancing auxiliary loss and the router z-loss.
/// The choice is deterministic: experts are taken by repeated arg-max over the logits, and arg-max returns the first
/// (lowest-index) maximum, so equal logits always resolve to the lower expert index on every rank and every run.
/// </summary>
public sealed class TopKRouter : nn.Module<Tensor, RouterOutput>
{
    private readonly int _expertCount;
    private readonly int _topK;

    /// <summary>Creates a router for <paramref name="options"/>; weights drawn N(0, 0.02) from <paramref name="generator"/>.</summary>
    public TopKRouter(MoeOptions options, Generator? generator = null)
        : this(options, InitialWeight(options.Validate(), generator))
    {
    }

    /// <summary>Creates a router over a copy of <paramref name="weight"/> ([hidden, experts]), e.g. another rank's replica.</summary>
    public TopKRouter(MoeOptions options, Tensor weight) : this(options, new Parameter(weight.detach().clone()))
    {
    }

    private TopKRouter(MoeOptions options, Parameter weight) : base(nameof(TopKRouter))
    {
        options.Validate();
        if (weight.dim() != 2 || weight.shape[0] != options.HiddenSize || weight.shape[1] != options.ExpertCount)
        {
            throw new ArgumentException(
                $"Router weight must be [{options.HiddenSize}, {options.ExpertCount}] (hidden, experts), got [{string.Join(", ", weight.shape)}].",
                nameof(weight));
        }

        _expertCount = options.ExpertCount;
        _topK = options.TopK;
        Weight = weight;
        RegisterComponents();
    }

    /// <summary>A router over <paramref name="weight"/> itself (not a copy), for a model that registers it under its own name.</summary>
    internal static TopKRouter Adopting(MoeOptions options, Parameter weight) => new(options, weight);

    /// <summary>[hidden, experts]: logits = tokens @ Weight. Replicated on every rank (data-parallel gradient).</summary>
    public Parameter Weight { get; }

    /// <summary>Routes <paramref name="tokens"/> of shape [N, hidden].</summary>
    public override RouterOutput forward(Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.shape[1] != Weight.shape[0])
        {
            throw new ArgumentException(
                $"Router input must be [tokens, {Weight.shape[0]}], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        var logits = tokens.matmul(Weight);
        var probabilities = nn.functional.softmax(logits, -1);
        var indices = ChooseExperts(logits);
        var gates = probabilities.gather(-1, indices);
        if (_topK > 1)
        {
            gates = gates / gates.sum(-1, keepdim: true);
        }

        var tokenCount = tokens.shape[0];
        Tensor auxiliary;
        if (tokenCount == 0)
        {
            auxiliary = zeros([], dtype: logits.dtype, device: logits.device);
        }
        else
        {
            // f_e: share of the N*k assignments that went to expert e (no gradient, as in Switch); P_e: mean probability.
            var assignedShare = bincount(indices.flatten(), minlength: _expertCount).to(logits.dtype) / (tokenCount * _topK);
            auxiliary = (assignedShare * probabilities.mean([0])).sum() * _expertCount;
        }

        var zLoss = tokenCount == 0
            ? zeros([], dtype: logits.dtype, device: logits.device)
            : logits.logsumexp(-1).square().mean();
        return new RouterOutput(indices, gates, probabilities, auxiliary, zLoss);
    }

    private static Tensor InitialWeight(MoeOptions options, Generator? generator)
    {
        TorchRuntime.EnsureLoaded();
        return normal(0.0, 0.02, [options.HiddenSize, options.ExpertCount], generator: generator);
    }

    private Tensor ChooseExperts(Tensor logits)
    {
        using var noGrad = no_grad();
        var remaining = logits.detach().clone();
        var chosen = new List<Tensor>(_topK);
        for (var choice = 0; choice < _topK; choice++)
        {
            var best = remaining.argmax(-1, keepdim: true);
            chosen.Add(best);
            if (choice + 1 < _topK)
            {
                remaining.scatter_(-1, best, full(best.shape, double.NegativeInfinity, dtype: remaining.dtype, device: remaining.device));
            }
        }

        return cat(chosen, -1);
    }
}
