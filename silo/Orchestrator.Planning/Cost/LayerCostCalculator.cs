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
/// 22, split across the tensor group only under sequence parallelism. The bias-GeLU reads and writes the FFN
/// activation (4·ffn/t). Softmax reads and writes the a·s scores (4 bytes each), dropout reads, writes and masks
/// them (5): 9·a·s/t. The backward pass of each moves twice the bytes of its forward pass.
/// </remarks>
internal sealed class LayerCostCalculator(TransformerModel model, DeviceKernels kernels, GroupLinks links)
{
    private const double ReplicatedElementwiseBytesPerHidden = 22;
    private const double SoftmaxDropoutBytesPerScore = 9;
    private const double BackwardBytesFactor = 2;
    private const double FlashBackwardFactor = 2.5;

    /// <summary>Times a dense layer (<paramref name="moe"/> false) or an MoE layer.</summary>
    public LayerTimes Layer(int tensor, int expert, int microBatch, bool sequenceParallel, bool moe)
    {
        double s = model.SequenceLength, h = model.Hidden, t = tensor, b = microBatch;
        var tokens = b * s;
        var bytes = TransformerModel.ElementBytes;

        var qkv = kernels.Gemm(tokens, model.QkvWidth / t, h);
        var projection = kernels.Gemm(tokens, h, h / t);
        var headsPerRank = b * model.Heads / t;
        double scores, softmax, backwardCore;
        if (model.FlashAttention)
        {
            // One fused kernel: QKᵀ and attention over V (4·b·s²·h/t FLOPs) reading Q, K, V and writing the output;
            // its backward recomputes the scores: 5 of those GEMMs instead of 2, i.e. 2.5 times the forward.
            scores = kernels.FusedKernel(4 * b * s * s * h / t, 4.0 * bytes * tokens * h / t);
            softmax = 0;
            backwardCore = FlashBackwardFactor * scores;
        }
        else
        {
            scores = kernels.Gemm(s, s, model.HeadSize, headsPerRank) + kernels.Gemm(s, model.HeadSize, s, headsPerRank);
            softmax = kernels.Stream(SoftmaxDropoutBytesPerScore * model.Heads * s * s * b / t);
            backwardCore = 2 * scores + BackwardBytesFactor * softmax;
        }

        var normsAndResiduals = kernels.Stream(ReplicatedElementwiseBytesPerHidden * tokens * h / (sequenceParallel ? t : 1));

        // Activations entering and leaving each parallel block: b·s·h elements.
        var activationBytes = bytes * tokens * h;
        var allReduce = kernels.AllReduce(activationBytes, tensor, links.Tensor);
        var allGather = kernels.AllGather(activationBytes, tensor, links.Tensor);

        var ffn = moe ? ExpertBlock(tensor, expert, tokens, sequenceParallel) : DenseBlock(tensor, tokens);

        // Forward: two all-reduces (or, with sequence parallelism, an all-gather and a reduce-scatter of the same size).
        var forwardCommunication = 2 * allReduce;

        // Backward: the gradient all-reduce of each column-parallel input overlaps that GEMM's weight-gradient pass
        // (Megatron's async tensor-parallel all-reduce). With sequence parallelism the row-parallel blocks' input
        // all-gather is on the critical path, and the column-parallel ones re-gather their input (overlapped with
        // the data-gradient GEMM) and reduce-scatter the gradient (overlapped with the weight-gradient GEMM).
        var backwardCommunication = sequenceParallel
            ? 2 * allGather + 2 * Exposed(allGather, qkv) + Exposed(allGather, ffn.FirstGemm) * 2
            : Exposed(allReduce, qkv) + Exposed(allReduce, ffn.FirstGemm);

        var forward = new OperationTimes(
            Gemm: qkv + projection + ffn.Gemm,
            Attention: scores + softmax,
            Elementwise: normsAndResiduals + ffn.Elementwise,
            TensorCommunication: forwardCommunication,
            ExpertCommunication: ffn.AllToAll);
        var backward = new OperationTimes(
            Gemm: 2 * forward.Gemm,
            Attention: backwardCore,
            Elementwise: BackwardBytesFactor * forward.Elementwise,
            TensorCommunication: backwardCommunication,
            ExpertCommunication: ffn.AllToAll);
        var core = new OperationTimes(0, scores + softmax, 0, 0, 0);
        return new LayerTimes(forward, backward, core);
    }

    private static double Exposed(double communication, double overlappedWith) => Math.Max(0, communication - overlappedWith);

    private BlockTimes DenseBlock(int tensor, double tokens)
    {
        double h = model.Hidden, f = model.Ffn / (double)tensor;
        var first = kernels.Gemm(tokens, f, h);
        var second = kernels.Gemm(tokens, h, f);
        var biasGelu = kernels.Stream(2.0 * TransformerModel.ElementBytes * tokens * f);
        return new BlockTimes(first + second, first, biasGelu, 0);
    }

    /// <summary>
    /// An MoE feed-forward block: router, token permutation, the experts' GEMMs on the tokens each rank receives,
    /// and the all-to-all that dispatches tokens to the expert-parallel ranks and combines them back.
    /// </summary>
    private BlockTimes ExpertBlock(int tensor, int expert, double tokens, bool sequenceParallel)
    {
        var moe = model.Moe!;
        double h = model.Hidden, f = model.ExpertFfn / (double)tensor;
        var localExperts = moe.Experts / (double)expert;

        // Balanced routing: every rank receives top-k copies of as many tokens as it sends. Dropless routing pads
        // each local expert's tokens up to the block size (half a block on average); a capacity factor computes
        // every expert at its full capacity instead.
        var routed = tokens * moe.TopK;
        var computed = moe.CapacityFactor is { } factor ? routed * factor : routed + localExperts * moe.BlockSize / 2.0;
        var tokensPerExpert = computed / localExperts;

        var router = kernels.Gemm(tokens, moe.Experts, h);
        var first = kernels.Gemm(tokensPerExpert, f, h, localExperts);
        var second = kernels.Gemm(tokensPerExpert, h, f, localExperts);
        var biasGelu = kernels.Stream(2.0 * TransformerModel.ElementBytes * computed * f);

        // Permuting tokens into expert order and back: read and write each routed copy twice.
        var permutation = kernels.Stream(4.0 * TransformerModel.ElementBytes * routed * h);

        // Each rank dispatches its routed copies (split over the tensor group under sequence parallelism) and gets
        // them back: two all-to-alls per pass.
        var dispatchedBytes = TransformerModel.ElementBytes * routed * h / (sequenceParallel ? tensor : 1);
        var allToAll = 2 * kernels.AllToAll(dispatchedBytes, expert, links.Expert, links.ExpertRanksPerNode);
        return new BlockTimes(router + first + second, first, biasGelu + permutation, allToAll);
    }

    private readonly record struct BlockTimes(double Gemm, double FirstGemm, double Elementwise, double AllToAll);
}
