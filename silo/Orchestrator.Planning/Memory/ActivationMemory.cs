using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Memory;

/// <summary>
/// Activation bytes a transformer layer keeps for its backward pass, as derived by Korthikanti et al.,
/// "Reducing Activation Recomputation in Large Transformer Models" (2022), Section 4, with 16-bit activations
/// and 1-byte dropout masks. s = sequence, b = micro-batch, h = hidden, a = heads, t = tensor-parallel size.
/// </summary>
internal static class ActivationMemory
{
    /// <summary>
    /// One dense layer, no recomputation: sbh(10 + 24/t + 5as/(ht)) without sequence parallelism (the 10 are the
    /// LayerNorm and dropout activations every tensor rank repeats) and sbh/t·(34 + 5as/h) with it. With t = 1
    /// both are the paper's sbh(34 + 5as/h).
    /// </summary>
    public static double DenseLayer(double s, double b, double h, double a, double t, bool sequenceParallel) =>
        sequenceParallel
            ? s * b * h / t * (34 + 5 * a * s / h)
            : s * b * h * (10 + 24 / t + 5 * a * s / (h * t));

    /// <summary>
    /// One dense layer with selective recomputation (the 5as/h attention-core term is recomputed instead of kept):
    /// sbh(10 + 24/t), or 34·sbh/t with sequence parallelism.
    /// </summary>
    public static double DenseLayerSelective(double s, double b, double h, double t, bool sequenceParallel) =>
        sequenceParallel ? 34 * s * b * h / t : s * b * h * (10 + 24 / t);

    /// <summary>One layer under full recomputation keeps only its 16-bit input: 2sbh, split over the tensor group with sequence parallelism.</summary>
    public static double FullRecomputeLayer(double s, double b, double h, double t, bool sequenceParallel) =>
        2 * s * b * h / (sequenceParallel ? t : 1);

    /// <summary>
    /// A layer of <paramref name="model"/> in <paramref name="mode"/>. The paper's feed-forward share is 19sbh for
    /// an FFN of 4h: the fc1 input (2) and the dropout mask (1), repeated on every tensor rank unless sequence
    /// parallelism splits them, and the GeLU and fc2 inputs (8 + 8 = 2·2·ffn/h), split over the tensor group.
    /// SwiGLU keeps its gate and up outputs and the fc2 input (2·3·ffn/h). For another FFN size, or an MoE block
    /// (top-k routed copies of the fc1 input and of the expert's activation and fc2 inputs, and the unpermuted
    /// expert output the combine step keeps), those shares are replaced by the actual ones. A context-parallel
    /// rank holds s/c tokens (context parallelism needs FlashAttention, so no s² term arises).
    /// </summary>
    public static double Layer(TransformerModel model, int microBatch, int tensor, int context, bool sequenceParallel, RecomputeMode mode, bool moe)
    {
        double s = model.SequenceLength / (double)context, b = microBatch, h = model.Hidden, a = model.Heads, t = tensor;
        if (mode == RecomputeMode.Full) return FullRecomputeLayer(s, b, h, t, sequenceParallel);
        // FlashAttention never stores the scores: the 5as/h term goes, as under selective recomputation.
        var dense = mode == RecomputeMode.Selective || model.Flash
            ? DenseLayerSelective(s, b, h, t, sequenceParallel)
            : DenseLayer(s, b, h, a, t, sequenceParallel);

        const double paperSplit = 16, paperRepeated = 3;
        var routed = moe && model.Moe is { } m ? m.TopK : 1;
        var split = routed * 2.0 * model.FfnMatrices * (moe ? model.ExpertFfn : model.Ffn) / h;
        var repeated = routed * 2.0 + 1 + (moe ? routed * 2.0 : 0);
        return dense + s * b * h * ((split - paperSplit) / t + (repeated - paperRepeated) / (sequenceParallel ? t : 1));
    }

    /// <summary>
    /// Transient buffers of the MoE layer running: the dispatch and combine all-to-all send and receive buffers,
    /// top-k copies of every token in 16 bits each way (4·k·sbh bytes), split over the tensor group with sequence
    /// parallelism.
    /// </summary>
    public static double MoeDispatchBuffers(TransformerModel model, int microBatch, int tensor, int context, bool sequenceParallel)
    {
        if (model.Moe is not { } moe) return 0;
        double s = model.SequenceLength / (double)context, b = microBatch, h = model.Hidden;
        return 2.0 * 2 * TransformerModel.ElementBytes * moe.TopK * s * b * h / (sequenceParallel ? tensor : 1);
    }
}
