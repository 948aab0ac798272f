using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// The capacity-factor baseline (GShard / Switch / Tutel): each expert takes at most
/// capacity = ceil(CapacityFactor * TopK * tokens / ExpertCount) assignments. Assignments claim slots first choices
/// first, in token order, then second choices; the overflow is dropped (the token keeps only its residual path), and
/// under-full experts are zero-padded to capacity so all experts run as one batched product.
/// </summary>
public sealed class CapacityFactorMoeLayer : nn.Module<Tensor, MoeOutput>
{
    private readonly MoeOptions _options;
    private readonly double _capacityFactor;

    /// <summary>A layer holding all experts; <paramref name="options"/> must set CapacityFactor and ExpertParallelSize 1.</summary>
    public CapacityFactorMoeLayer(MoeOptions options, Generator? generator = null)
        : this(options, new TopKRouter(options, generator), new ExpertWeights(options.ExpertCount, options.HiddenSize, options.FfnHiddenSize, generator))
    {
    }

    /// <summary>A layer over existing router and expert modules (e.g. shared with a dropless layer for comparison).</summary>
    public CapacityFactorMoeLayer(MoeOptions options, TopKRouter router, ExpertWeights experts) : base(nameof(CapacityFactorMoeLayer))
    {
        _options = options.Validate();
        _capacityFactor = options.CapacityFactor
            ?? throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.CapacityFactor)} is required for the capacity-factor layer (e.g. 1.0, 1.25, 2.0); null means dropless.",
                nameof(options));
        if (options.ExpertParallelSize != 1)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.ExpertParallelSize)} must be 1 for the capacity-factor baseline, got {options.ExpertParallelSize}.",
                nameof(options));
        }

        if (experts.Count != options.ExpertCount)
        {
            throw new ArgumentException($"The capacity-factor layer needs all {options.ExpertCount} experts, got {experts.Count}.", nameof(experts));
        }

        Router = router;
        Experts = experts;
        RegisterComponents();
    }

    /// <summary>The gate.</summary>
    public TopKRouter Router { get; }

    /// <summary>All experts.</summary>
    public ExpertWeights Experts { get; }

    /// <summary>Slots per expert for a batch of <paramref name="tokenCount"/> tokens.</summary>
    public long Capacity(long tokenCount) =>
        (long)Math.Ceiling(_capacityFactor * _options.TopK * tokenCount / _options.ExpertCount);

    /// <summary>Routes and computes <paramref name="tokens"/> ([..., hidden]); dropped assignments contribute zero.</summary>
    public override MoeOutput forward(Tensor tokens)
    {
        var hidden = _options.HiddenSize;
        if (tokens.dim() < 1 || tokens.shape[^1] != hidden)
        {
            throw new ArgumentException($"MoE input must end in the hidden size {hidden}, got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        var flat = tokens.reshape(-1, hidden);
        var tokenCount = flat.shape[0];
        var topK = _options.TopK;
        var routed = Router.forward(flat);
        var expertOfItem = routed.ExpertIndices.flatten().data<long>().ToArray();
        var tokenOfItem = new long[expertOfItem.Length];
        var priority = new int[expertOfItem.Length];
        for (var item = 0; item < expertOfItem.Length; item++)
        {
            tokenOfItem[item] = item / topK;
            // Item t*k + j gets rank j*N + t: every token's first choice beats any token's second choice.
            priority[item % topK * (int)tokenCount + item / topK] = item;
        }

        var capacity = Capacity(tokenCount);
        var layout = ExpertLayout.WithCapacity(expertOfItem, tokenOfItem, priority, tokenCount, _options.ExpertCount, capacity);
        var buffer = TokenPermutation.Gather(flat, layout.SourceRowOfBufferRow);
        var output = capacity == 0 ? buffer : Experts.ApplyBatched(buffer, capacity);
        // Dropped assignments are held by no row, so the combine leaves them out (and their gates get no gradient).
        var combined = TokenPermutation.Combine(output, layout.ItemOfBufferRow(), routed.GateWeights);

        long droppedTokens = 0;
        for (var token = 0; token < tokenCount; token++)
        {
            var anyKept = false;
            for (var choice = 0; choice < topK; choice++)
            {
                anyKept |= layout.KeptItem[token * topK + choice];
            }

            droppedTokens += anyKept ? 0 : 1;
        }

        var statistics = new MoeDispatchStatistics(
            layout.ItemsPerExpert, expertOfItem.LongLength, layout.DroppedItems, droppedTokens, layout.TotalRows, layout.PaddingRows);
        var regularization = routed.AuxiliaryLoss * _options.AuxiliaryLossCoefficient + routed.ZLoss * _options.ZLossCoefficient;
        return new MoeOutput(combined.view(tokens.shape), routed.AuxiliaryLoss, routed.ZLoss, regularization, statistics);
    }
}
