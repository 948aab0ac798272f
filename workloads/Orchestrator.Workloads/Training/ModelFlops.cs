namespace Orchestrator.Workloads.Training;

/// <summary>
/// FLOPs of one optimizer step by Megatron-LM's count (Narayanan et al. 2021, "Efficient Large-Scale Language Model
/// Training on GPU Clusters", appendix), extended to Mixture-of-Experts blocks, and the model FLOPs utilization (MFU)
/// they give.
/// </summary>
/// <remarks>
/// A forward pass over B samples of s tokens through l blocks of width h (4h MLP) costs 24·B·s·l·h²·(1 + s/(6h)):
/// per block 8·B·s·h² for the attention projections, 4·B·s²·h for the attention scores and their application, and
/// 16·B·s·h² for the MLP; the tied output head adds 2·B·s·h·V. In each of the l_moe MoE blocks (blocks Every-1,
/// 2·Every-1, ...) a token goes through the FFNs of its k experts, each as wide as the dense MLP, and the router
/// scores it against all E experts, so that block's MLP term 16·B·s·h² becomes 16·B·s·h²·k + 2·B·s·h·E (the gating
/// and the permutations are not counted). The backward pass costs twice the forward, so a step is
/// 72·B·s·l·h²·(1 + s/(6h) + V/(12·l·h)) + 3·l_moe·B·s·h·(16·h·(k - 1) + 2·E). With full recomputation the blocks'
/// forward runs a second time and is counted, as Megatron-LM counts it: the block terms are multiplied by 4/3, giving
/// its 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)) for a dense model; MFU under full recomputation is therefore what PaLM
/// calls hardware FLOPs utilization. Selective recomputation repeats only the attention core and is not counted.
/// Layer norms, biases, softmax and the embedding lookup are left out, as in Megatron-LM.
/// </remarks>
public static class ModelFlops
{
    /// <summary>FLOPs of one optimizer step over the global batch (all devices together).</summary>
    public static double PerStep(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double b = options.GlobalBatch, s = options.SequenceLength, l = options.Layers, h = options.Hidden, v = options.Vocabulary;
        double f = options.ModelConfig().FeedForwardSize;
        var moe = options.Moe;
        double moeBlocks = moe is null ? 0 : Enumerable.Range(0, options.Layers).Count(moe.IsMoeLayer);
        var attention = (8 * s * h * h) + (4 * s * s * h);
        var mlp = 4 * s * h * f;
        var experts = moe is null ? 0 : (4 * s * h * f * moe.TopK) + (2 * s * h * moe.ExpertCount);
        var blockForward = b * ((l * attention) + ((l - moeBlocks) * mlp) + (moeBlocks * experts));
        var headForward = 2 * b * s * h * v;
        var blockPasses = options.Recompute == "full" ? 4 : 3;
        return (blockPasses * blockForward) + (3 * headForward);
    }

    /// <summary>
    /// Achieved FLOP/s over the peak of the devices: <paramref name="flopsPerStep"/> / (<paramref name="stepSeconds"/> ·
    /// <paramref name="devices"/> · <paramref name="peakFlopsPerDevice"/>); null when the peak is unknown.
    /// </summary>
    public static double? Utilization(double flopsPerStep, double stepSeconds, int devices, double? peakFlopsPerDevice) =>
        peakFlopsPerDevice is { } peak && stepSeconds > 0 && devices > 0 ? flopsPerStep / (stepSeconds * devices * peak) : null;
}
