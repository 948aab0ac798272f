namespace Orchestrator.Workloads.Training;

/// <summary>
/// FLOPs of one optimizer step by Megatron-LM's count (Narayanan et al. 2021, "Efficient Large-Scale Language Model
/// Training on GPU Clusters", appendix), and the model FLOPs utilization (MFU) they give.
/// </summary>
/// <remarks>
/// A forward pass over B samples of s tokens through l blocks of width h (4h MLP) costs 24·B·s·l·h²·(1 + s/(6h)):
/// the matrix products plus the attention scores and their application; the tied output head adds 2·B·s·h·V. The
/// backward pass costs twice the forward, so a step is 72·B·s·l·h²·(1 + s/(6h) + V/(12·l·h)). With full
/// recomputation the blocks' forward runs a second time and is counted, as Megatron-LM counts it: the block term is
/// multiplied by 4/3, giving its 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)); MFU under full recomputation is therefore
/// what PaLM calls hardware FLOPs utilization. Selective recomputation repeats only the attention core and is not
/// counted. Layer norms, biases, softmax and the embedding lookup are left out, as in Megatron-LM.
/// </remarks>
public static class ModelFlops
{
    /// <summary>FLOPs of one optimizer step over the global batch (all devices together).</summary>
    public static double PerStep(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double b = options.GlobalBatch, s = options.SequenceLength, l = options.Layers, h = options.Hidden, v = options.Vocabulary;
        var blockForward = 24 * b * s * l * h * h * (1 + (s / (6 * h)));
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
