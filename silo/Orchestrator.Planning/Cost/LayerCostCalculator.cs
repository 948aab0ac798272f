using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Times one transformer layer for one micro-batch on one GPU of a tensor group, following Megatron-LM's
/// implementation: column-parallel QKV and first FFN matrix, row-parallel projections, fused bias-GeLU and
/// bias-dropout-add, Megatron's fused softmax, and the asynchronous tensor-parallel communication of the backward pass.
/// </summary>
/// <remarks>
/// Byte counts of the memory-bound kernels, per token, in units of h (16-bit elements): the two LayerNorms read
/// and write 2 each (8), the two bias-dropout-adds read input and residual and write output and a 1-byte mask (14):
/// 22 (20 for a model without dropout, which writes no masks), split across the tensor group only under sequence
/// parallelism. Rotary embeddings and ring attention's merges are counted in <see cref="AttentionElementwise"/>. The bias-GeLU reads and writes the FFN
/// activation (4·ffn/t). Softmax reads and writes the a·s scores (4 bytes each), dropout reads, writes and masks
/// them (5): 9·a·s/t. The backward pass of each moves twice the bytes of its forward pass. With context
/// parallelism every rank holds s/c tokens of each sequence, so every per-token term uses b·s/c.
/// </remarks>
internal sealed class LayerCostCalculator(TransformerModel model, DeviceKernels kernels, GroupLinks links, bool overlapTensorCommunication)
{
    private readonly Fp8Conversion fp8 = new(kernels, model.Fp8CurrentScaling);
    private readonly FusedAttentionCost attention = new(model, kernels);

    private const double ReplicatedElementwiseBytesPerHidden = 22;
    private const double DropoutMaskBytesPerHidden = 2;
    private const double SoftmaxDropoutBytesPerScore = 9;
    private const double BackwardBytesFactor = 2;

    /// <summary>Times a dense layer (<paramref name="moe"/> false) or an MoE layer.</summary>
    public LayerTimes Layer(int tensor, int context, int expert, int microBatch, bool sequenceParallel, bool moe)
    {
        double s = model.SequenceLength, h = model.Hidden, t = tensor, b = microBatch, c = context;
        // Each context-parallel rank holds s/c tokens of every sequence.
        var tokens = b * s / c;
        var bytes = TransformerModel.ElementBytes;

        var qkv = kernels.Gemm(tokens, model.QkvWidth / t, h);
        var width = (double)model.AttentionWidth;
        var projection = kernels.Gemm(tokens, h, width / t);
        // Under FP8 each GEMM's input is cast forward and its output gradient backward (the FFN's in its block).
        // The LayerNorm in front of QKV writes FP8 itself; the attention output reaching the projection is 16-bit.
        var attentionCastsForward = fp8.Input(tokens, h, producedInFp8: true) + fp8.Input(tokens, width / t, producedInFp8: false);
        var attentionCastsBackward = fp8.OutputGradient(tokens, model.QkvWidth / t) + fp8.OutputGradient(tokens, h);
        var headsPerRank = b * model.Heads / t;
        double scores, softmax, backwardCore, ring = 0;
        if (model.Flash)
        {
            // One fused kernel forward and one backward (FusedAttentionCost: causal and windowed layers, measured rates).
            (scores, backwardCore) = attention.Times(b, tensor, context);
            softmax = 0;
            ring = RingExchange(tokens, tensor, context);
        }
        else
        {
            scores = kernels.Gemm(s, s, model.HeadSize, headsPerRank) + kernels.Gemm(s, model.HeadSize, s, headsPerRank);
            softmax = kernels.Stream(SoftmaxDropoutBytesPerScore * model.Heads * s * s * b / t);
            backwardCore = 2 * scores + BackwardBytesFactor * softmax;
        }

        var replicatedBytes = ReplicatedElementwiseBytesPerHidden - (model.Dropout ? 0 : DropoutMaskBytesPerHidden);
        var normsAndResiduals = kernels.Stream(replicatedBytes * tokens * h / (sequenceParallel ? t : 1));
        // Rotary embeddings and ring-attention merges: the backward pass moves the same bytes as the forward (rotary)
        // or its own count (merges), not the doubled bytes of the norms and activations.
        var rotary = kernels.Stream(AttentionElementwise.RotaryBytes(model, tokens, tensor));
        var mergeForward = kernels.Stream(AttentionElementwise.RingMergeBytes(model, tokens, tensor, context, backward: false));
        var mergeBackward = kernels.Stream(AttentionElementwise.RingMergeBytes(model, tokens, tensor, context, backward: true));

        // Activations entering and leaving each parallel block: b·(s/c)·h elements.
        var activationBytes = bytes * tokens * h;
        var allReduce = kernels.AllReduce(activationBytes, tensor, links.Tensor);
        var allGather = kernels.AllGather(activationBytes, tensor, links.Tensor);

        var ffn = moe ? new ExpertLayerCost(model, kernels, links).Block(tensor, expert, tokens, sequenceParallel) : DenseBlock(tensor, tokens);
        var (forwardCommunication, backwardCommunication) = TensorCommunication(sequenceParallel, allReduce, allGather, qkv, projection, ffn);

        var forward = new OperationTimes(
            Gemm: qkv + projection + ffn.Gemm,
            Attention: scores + softmax,
            Elementwise: normsAndResiduals + ffn.Elementwise + rotary + mergeForward,
            TensorCommunication: forwardCommunication,
            ExpertCommunication: ffn.AllToAll,
            ContextCommunication: Exposed(ring, scores),
            Fp8Conversion: attentionCastsForward + ffn.CastsForward);
        var backward = new OperationTimes(
            Gemm: 2 * forward.Gemm,
            Attention: backwardCore,
            Elementwise: BackwardBytesFactor * normsAndResiduals + (ffn.BackwardElementwise ?? BackwardBytesFactor * ffn.Elementwise) + rotary + mergeBackward,
            TensorCommunication: backwardCommunication,
            ExpertCommunication: ffn.BackwardAllToAll ?? ffn.AllToAll,
            ContextCommunication: Exposed(2 * ring, backwardCore),
            Fp8Conversion: attentionCastsBackward + ffn.CastsBackward);
        var core = new OperationTimes(0, scores + softmax, 0, 0, 0, forward.ContextCommunication);
        return new LayerTimes(forward, backward, core);
    }

    /// <summary>
    /// Forward: two all-reduces (or, with sequence parallelism, an all-gather and a reduce-scatter of the same
    /// size each). Backward: the gradient all-reduce of each column-parallel input overlaps that GEMM's
    /// weight-gradient pass (Megatron's async tensor-parallel all-reduce). With sequence parallelism the
    /// row-parallel blocks' input all-gather is on the critical path, and the column-parallel ones re-gather their
    /// input (overlapped with the data-gradient GEMM) and reduce-scatter the gradient (overlapped with the
    /// weight-gradient GEMM). With Transformer Engine's communication overlap (sequence parallelism only) every
    /// all-gather and reduce-scatter is split into chunks that run under the GEMM it feeds or drains; under FP8 the
    /// column-parallel inputs are gathered after the cast, as 1-byte elements (the reduce-scatters stay 16-bit).
    /// </summary>
    private (double Forward, double Backward) TensorCommunication(
        bool sequenceParallel, double allReduce, double allGather, double qkv, double projection, BlockTimes ffn)
    {
        if (!sequenceParallel) return (2 * allReduce, Exposed(allReduce, qkv) + Exposed(allReduce, ffn.FirstGemm));
        if (!overlapTensorCommunication)
            return (2 * allReduce, 2 * allGather + 2 * Exposed(allGather, qkv) + 2 * Exposed(allGather, ffn.FirstGemm));
        var gatherInput = kernels.Fp8 ? allGather / TransformerModel.ElementBytes : allGather;
        var forward = Exposed(gatherInput, qkv) + Exposed(allGather, projection) + Exposed(gatherInput, ffn.FirstGemm) + Exposed(allGather, ffn.SecondGemm);
        return (forward, 2 * forward);
    }

    /// <summary>
    /// Ring attention over the context-parallel group: each of the c−1 steps passes the rank's key and value chunk
    /// (2·b·(s/c)·groups·head size/t 16-bit elements) to the next rank while the current chunk's attention runs.
    /// The backward pass sends keys and values and their gradients: twice the bytes.
    /// </summary>
    private double RingExchange(double tokens, int tensor, int context)
    {
        if (context <= 1) return 0;
        // Key/value heads per tensor rank: groups/t, or one (replicated) when the tensor group is wider than the groups.
        var headsPerRank = Math.Max(1.0, model.KeyValueGroups / (double)tensor);
        var keyValueBytes = 2.0 * TransformerModel.ElementBytes * tokens * headsPerRank * model.HeadSize;
        return (context - 1) * kernels.PointToPoint(keyValueBytes, links.Context);
    }

    private static double Exposed(double communication, double overlappedWith) => Math.Max(0, communication - overlappedWith);

    /// <summary>
    /// A dense feed-forward block: the column-parallel first GEMM (h → f/t, or the fused gate and up projections
    /// h → 2f/t under SwiGLU), the fused activation (reads what the first GEMM wrote, writes f/t) and the
    /// row-parallel second GEMM.
    /// </summary>
    private BlockTimes DenseBlock(int tensor, double tokens)
    {
        double h = model.Hidden, f = model.Ffn / (double)tensor, inputs = model.FfnMatrices - 1;
        var first = kernels.Gemm(tokens, inputs * f, h);
        var second = kernels.Gemm(tokens, h, f);
        var activation = kernels.Stream((inputs + 1) * TransformerModel.ElementBytes * tokens * f);
        return new BlockTimes(first + second, first, second, activation, 0,
            fp8.Input(tokens, h, producedInFp8: true) + fp8.Input(tokens, f, producedInFp8: true),
            fp8.OutputGradient(tokens, inputs * f) + fp8.OutputGradient(tokens, h));
    }

    /// <summary>
    /// A feed-forward block's times for one micro-batch; the backward pass moves twice the forward bytes and repeats
    /// the forward all-to-alls unless the block says otherwise (<see cref="ExpertLayerCost"/> does).
    /// </summary>
    internal readonly record struct BlockTimes(
        double Gemm, double FirstGemm, double SecondGemm, double Elementwise, double AllToAll, double CastsForward, double CastsBackward,
        double? BackwardElementwise = null, double? BackwardAllToAll = null);
}
