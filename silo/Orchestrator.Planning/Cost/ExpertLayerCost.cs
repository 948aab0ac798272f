using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Times the feed-forward block of an MoE layer for one micro-batch on one GPU, following Megatron-Core's dropless
/// MoE layer with the all-to-all token dispatcher, fused router and fused permutation (the settings of the
/// Megatron-Bridge MoE runs) and Transformer Engine's grouped linear layers for the experts.
/// </summary>
/// <remarks>
/// Besides the expert GEMMs and the token all-to-alls, the layer runs a chain of small kernels, counted from
/// Megatron-Core's <c>router.py</c> (<c>TopKRouter</c>), <c>token_dispatcher.py</c> (<c>MoEAlltoAllTokenDispatcher</c>)
/// and <c>moe_utils.py</c> (<c>permute</c>, <c>unpermute</c>, <c>sort_chunks_by_idxs</c>): see
/// <see cref="ExpertKernels"/>. Each small kernel takes the longer of the bytes it moves over HBM and
/// <see cref="QueuedKernelSeconds"/>, the time a tiny kernel occupies the GPU when it is queued behind others.
/// Dropless routing with expert parallelism copies the per-expert token counts to the host every layer and waits
/// for them (<c>cuda_sync_point = "before_ep_alltoall"</c>): the launch queue drains, and the next kernel's launch
/// latency is exposed once per MoE layer forward (<see cref="HostSyncSeconds"/>). The backward pass reuses the
/// split sizes already on the host and does not synchronise.
/// </remarks>
internal sealed class ExpertLayerCost(TransformerModel model, DeviceKernels kernels, GroupLinks links)
{
    /// <summary>
    /// GPU time of a tiny kernel launched back to back in one stream: 3.8 µs per kernel for a 2.9 µs kernel in
    /// NVIDIA's measurement (A. Gray, "Getting Started with CUDA Graphs", NVIDIA Developer Blog, 2019). A small
    /// kernel never takes less, whatever its bytes.
    /// </summary>
    public const double QueuedKernelSeconds = 3.8e-6;

    /// <summary>
    /// Idle time a host synchronisation exposes: in the same measurement a kernel followed by a stream
    /// synchronisation took 9.6 µs, of which 2.9 µs was the kernel: 6.7 µs of drained queue and relaunch.
    /// </summary>
    public const double HostSyncSeconds = 9.6e-6 - 2.9e-6;

    private const double RouterBytesPerScore = 4; // the router's logits and probabilities are FP32 (moe_router_dtype fp32)

    private readonly Fp8Conversion fp8 = new(kernels, model.Fp8CurrentScaling);

    /// <summary>The block's times; <paramref name="tokens"/> is b·s/c, the micro-batch's tokens on this rank.</summary>
    public LayerCostCalculator.BlockTimes Block(int tensor, int expert, double tokens, bool sequenceParallel)
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

        // Megatron's router is a plain 16-bit linear layer, outside Transformer Engine's FP8 recipe.
        var router = kernels.Gemm(tokens, moe.Experts, h, sixteenBit: true);
        double inputs = model.FfnMatrices - 1;
        var first = kernels.Gemm(tokensPerExpert, inputs * f, h, localExperts, launchEach: true);
        var second = kernels.Gemm(tokensPerExpert, h, f, localExperts, launchEach: true);
        var activation = kernels.Stream((inputs + 1) * TransformerModel.ElementBytes * computed * f);

        var inventory = ExpertKernels.For(tokens, routed, h, moe.Experts, localExperts, expert);
        var forwardKernels = inventory.Forward.Sum(SmallKernel);
        var backwardKernels = inventory.Backward.Sum(SmallKernel);
        // Dropless routing with expert parallelism waits for the token counts on the host once per forward pass.
        var hostSync = moe.CapacityFactor is null && (expert > 1 || localExperts > 1) ? HostSyncSeconds : 0;

        // Each rank dispatches its routed copies (split over the tensor group under sequence parallelism) and gets
        // them back: two all-to-alls per pass, plus the routing probabilities (FP32, one per routed copy) forward
        // and their gradients backward. Before the forward dispatch the per-expert counts are all-gathered.
        var split = sequenceParallel ? tensor : 1;
        var dispatchedBytes = TransformerModel.ElementBytes * routed * h / split;
        var tokenAllToAlls = 2 * kernels.AllToAll(dispatchedBytes, expert, links.Expert, links.ExpertRanksPerNode);
        var probabilities = kernels.AllToAll(RouterBytesPerScore * routed / split, expert, links.Expert, links.ExpertRanksPerNode);
        var counts = kernels.AllGather(sizeof(long) * (double)moe.Experts * expert, expert, links.Expert, links.ExpertRanksPerNode);

        return new LayerCostCalculator.BlockTimes(router + first + second, first, second,
            activation + forwardKernels + hostSync, tokenAllToAlls + probabilities + counts,
            // Permuted tokens and Megatron's separate expert activation reach the grouped GEMMs in 16 bits.
            fp8.Input(tokensPerExpert, h, producedInFp8: false, localExperts) + fp8.Input(tokensPerExpert, f, producedInFp8: false, localExperts),
            fp8.OutputGradient(tokensPerExpert, inputs * f, localExperts) + fp8.OutputGradient(tokensPerExpert, h, localExperts),
            // The activation's backward moves twice its forward bytes; the permutation kernels' backward are listed.
            BackwardElementwise: 2 * activation + backwardKernels,
            BackwardAllToAll: tokenAllToAlls + probabilities);
    }

    private double SmallKernel(double bytes) => Math.Max(QueuedKernelSeconds, kernels.Stream(bytes));
}
