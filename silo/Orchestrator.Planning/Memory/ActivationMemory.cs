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
    /// rank holds s/c tokens (context parallelism needs FlashAttention, so no s² term arises). Where the paper's
    /// assumptions do not hold, <see cref="Corrections"/> adjusts its counts.
    /// </summary>
    /// <remarks>
    /// <c>fp8</c>: the layer's GEMMs run in FP8 (the model asks for it and the device has FP8 tensor cores).
    /// </remarks>
    public static double Layer(TransformerModel model, int microBatch, int tensor, int context, bool sequenceParallel, RecomputeMode mode, bool moe, bool fp8 = false)
    {
        double s = model.SequenceLength / (double)context, b = microBatch, h = model.Hidden, a = model.Heads, t = tensor;
        if (mode == RecomputeMode.Full) return FullRecomputeLayer(s, b, h, t, sequenceParallel);
        // FlashAttention never stores the scores: the 5as/h term goes, as under selective recomputation.
        var keepsScores = mode != RecomputeMode.Selective && !model.Flash;
        var dense = keepsScores ? DenseLayer(s, b, h, a, t, sequenceParallel) : DenseLayerSelective(s, b, h, t, sequenceParallel);

        const double paperSplit = 16, paperRepeated = 3;
        var routed = moe && model.Moe is { } m ? m.TopK : 1;
        var split = routed * 2.0 * model.FfnMatrices * (moe ? model.ExpertFfn : model.Ffn) / h;
        var repeated = routed * 2.0 + 1 + (moe ? routed * 2.0 : 0);
        var (splitCorrection, repeatedCorrection) = Corrections(model, tensor, moe, fp8, keepsScores);
        return dense + s * b * h * ((split - paperSplit + splitCorrection) / t + (repeated - paperRepeated + repeatedCorrection) / (sequenceParallel ? t : 1));
    }

    /// <summary>
    /// Where Korthikanti's counts (multi-head attention, 16-bit activations, dropout) do not describe the layer, in
    /// units of sbh bytes: (split over the tensor group, repeated on every tensor rank unless sequence parallelism
    /// splits them).
    /// <list type="bullet">
    /// <item>Grouped-query attention: the paper keeps Q, K and V (2 + 2 + 2); keys and values are only g/a as wide
    /// (one head per rank when t exceeds g, as Megatron replicates them): K and V keep 2·2·max(g, t)/a instead of 4.</item>
    /// <item>No dropout: the two hidden-dropout masks (1 each, repeated) are not kept; on the unfused path neither are
    /// the attention-dropout mask and output (3as/h of the paper's 5as/h, split).</item>
    /// <item>FP8 (Transformer Engine's Linear and LayerNormLinear save the FP8 copy of a GEMM input they cast, not the
    /// 16-bit tensor): the QKV and fc1 inputs are 1 byte (−1 each, repeated), the fc2 input f/h instead of 2f/h
    /// (split); the projection input becomes an FP8 copy (1) beside the 16-bit attention output the fused attention
    /// kernel keeps for its backward pass (2): +1 with FlashAttention, −1 on the unfused path where nothing else keeps
    /// it. MoE blocks' expert inputs are left at 16 bits (permuted tokens reach the grouped GEMMs unconverted).</item>
    /// </list>
    /// </summary>
    private static (double Split, double Repeated) Corrections(TransformerModel model, int tensor, bool moe, bool fp8, bool keepsScores)
    {
        double h = model.Hidden, a = model.Heads;
        var keyValueShare = Math.Min(1, Math.Max(model.KeyValueGroups, tensor) / a);
        double split = -4 * (1 - keyValueShare), repeated = 0;
        if (!model.Dropout)
        {
            repeated -= 2;
            if (keepsScores) split -= 3 * a * model.SequenceLength / h;
        }

        if (fp8)
        {
            repeated -= 1 + (moe ? 0 : 1);
            split += (model.Flash ? 1 : -1) - (moe ? 0 : model.Ffn / h);
        }

        return (split, repeated);
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
