using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Transformer Engine's FP8 work besides the GEMMs themselves (the delayed-scaling recipe NeMo and Megatron-LM run on
/// Hopper), priced from what its kernels read and write and how often they run; nothing here is fitted. Zero when the
/// layers do not run in FP8.
/// </summary>
/// <remarks>
/// Per FP8 GEMM (one Linear module of M tokens, K inputs, N outputs), following Transformer Engine's Linear and
/// LayerNormLinear: the forward pass casts the 16-bit input to FP8 and writes its transpose too (the weight-gradient
/// GEMM's operand): read 2 bytes, write 1 + 1 per M·K element, one kernel that also records the amax (delayed
/// scaling needs no separate amax pass). Where the producer of the input writes FP8 itself (the fused LayerNorm in
/// front of the QKV and first FFN GEMMs, the fused activation in front of the second) only the transpose remains:
/// read 1, write 1. The backward pass cast-transposes the 16-bit output gradient the same way
/// (M·N elements, one kernel) for the data- and weight-gradient GEMMs. The weights are cast and transposed once per
/// iteration (Transformer Engine caches them across the micro-batches of one step: read 2, write 1 + 1 bytes per
/// parameter). At the end of every forward and every backward pass of a model chunk the amaxes of all the chunk's
/// FP8 tensors are all-reduced over the ranks that share the scaling factors (data × tensor × context: Megatron's
/// amax-reduction group), a few kilobytes, so its latency is what counts. What stays in 16 bits is not here: the
/// attention core (<see cref="DeviceKernels.FusedAttention"/>), LayerNorms, activations and residuals (memory-bound
/// kernels), the output layer and the MoE router (<see cref="DeviceKernels.Gemm"/> with <c>sixteenBit</c>).
/// <para>
/// Under current scaling (<c>currentScaling</c>) the scale is computed from the tensor being cast: an amax
/// kernel reads the 16-bit input first (2 bytes per element, one more launch), and a producer can no longer write FP8
/// itself (the fused LayerNorm writes 16 bits and its output is cast like any other); the weights are read once more
/// for their amax; and no amax history is all-reduced at the end of each pass (the per-tensor amax reductions over a
/// tensor group are not priced: the Megatron-Bridge rows that run current scaling have t = 1).
/// </para>
/// </remarks>
internal sealed class Fp8Conversion(DeviceKernels kernels, bool currentScaling = false)
{
    /// <summary>Bytes per element the amax pass of current scaling reads (the 16-bit input).</summary>
    private const double AmaxPassBytesPerElement = 2;

    /// <summary>Bytes moved per element by a cast-transpose: read 2 (16-bit), write 1 (FP8) and 1 (FP8 transpose).</summary>
    private const double CastTransposeBytesPerElement = 4;

    /// <summary>Bytes moved per element by a transpose of an FP8 tensor: read 1, write 1.</summary>
    private const double TransposeBytesPerElement = 2;

    /// <summary>FP8 tensors with a scaling factor per GEMM: input, weight and output gradient, one 4-byte amax each.</summary>
    private const double AmaxBytesPerGemm = 3 * 4;

    /// <summary>Whether anything is converted.</summary>
    public bool Active => kernels.Fp8;

    /// <summary>
    /// Forward: the cast-transpose of a GEMM's M×K input, or only its transpose when <paramref name="producedInFp8"/>
    /// (the kernel that produced the input wrote it in FP8).
    /// </summary>
    public double Input(double m, double k, bool producedInFp8, double count = 1) =>
        Convert(m * k, producedInFp8 && !currentScaling ? TransposeBytesPerElement : CastTransposeBytesPerElement, count);

    /// <summary>Backward: the cast-transpose of a GEMM's M×N output gradient.</summary>
    public double OutputGradient(double m, double n, double count = 1) => Convert(m * n, CastTransposeBytesPerElement, count);

    /// <summary>Once per iteration: casting and transposing the <paramref name="parameters"/> weights a GPU holds.</summary>
    public double Weights(double parameters) =>
        Active ? kernels.Stream((CastTransposeBytesPerElement + (currentScaling ? AmaxPassBytesPerElement : 0)) * parameters) : 0;

    /// <summary>
    /// One amax all-reduce for <paramref name="gemms"/> FP8 GEMMs among <paramref name="ranks"/>: a message this small
    /// is latency-bound, and NCCL runs it as a tree (⌈log₂ n⌉ steps up and as many down) rather than a ring.
    /// </summary>
    public double AmaxReduction(double gemms, int ranks, LinkProfile link)
    {
        if (!Active || currentScaling || ranks <= 1 || gemms <= 0) return 0;
        var steps = 2 * Math.Ceiling(Math.Log2(ranks));
        return steps * link.LatencyMicroseconds * 1e-6 + kernels.Stream(AmaxBytesPerGemm * gemms) + kernels.Launch;
    }

    /// <summary>The <paramref name="count"/> GEMMs of a grouped (expert) GEMM are converted by one multi-tensor kernel.</summary>
    private double Convert(double elements, double bytesPerElement, double count)
    {
        if (!Active || elements <= 0 || count <= 0) return 0;
        var cast = kernels.Stream(bytesPerElement * elements * count) + kernels.Launch;
        return currentScaling ? cast + kernels.Stream(AmaxPassBytesPerElement * elements * count) + kernels.Launch : cast;
    }
}
