using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Time of the primitive operations on one device: GEMMs (roofline with a width-dependent efficiency), streaming
/// element-wise kernels (bytes over HBM bandwidth) and ring collectives over a link.
/// </summary>
internal sealed class DeviceKernels
{
    private readonly double _sixteenBitFlops;
    private readonly double _fp8Flops;
    private readonly double _memoryBytesPerSecond;
    private readonly FusedAttentionRates? _attentionRates;
    private readonly CostModelConstants _constants;

    public DeviceKernels(GpuModel gpu, Precision precision, CostModelConstants constants)
    {
        // GEMMs run at what the device's matmuls can reach (the measured maximum), scaled by the fitted efficiency.
        Fp8 = precision == Precision.Fp8 && gpu.PeakFp8Tflops is not null;
        _sixteenBitFlops = gpu.AchievableTflops(fp8: false) * 1e12;
        _fp8Flops = gpu.AchievableTflops(fp8: true) * 1e12;
        _memoryBytesPerSecond = gpu.MemoryBandwidthTBps * 1e12 * constants.MemoryBandwidthEfficiency;
        _attentionRates = gpu.FusedAttention is { } measurement ? FusedAttentionRates.For(measurement) : null;
        _constants = constants;
    }

    /// <summary>Whether the layers' GEMMs run in FP8 (the model asks for it and the device has FP8 tensor cores).</summary>
    public bool Fp8 { get; }

    /// <summary>Fixed cost of one kernel (launch and tail).</summary>
    public double Launch => _constants.KernelLaunchSeconds;

    /// <summary>
    /// Seconds for <paramref name="count"/> GEMMs of (m×k)·(k×n) launched as one kernel: compute at an efficiency
    /// that grows with the reduction depth k, plus moving the three matrices through HBM (a roofline that does not
    /// assume the operand traffic hides behind the math), plus one launch. A transformer layer's GEMMs run in FP8
    /// when the model's precision is FP8 (<paramref name="sixteenBit"/> false): operands read as 1-byte values, the
    /// output written in 16 bits; the casts that produce those operands are priced by <see cref="Fp8Conversion"/>.
    /// GEMMs that Megatron keeps out of Transformer Engine (the output layer, the MoE router) pass
    /// <paramref name="sixteenBit"/> and run in 16 bits whatever the recipe. A batched GEMM is one kernel; the
    /// <paramref name="count"/> GEMMs of an expert group are not (<paramref name="launchEach"/>): Transformer Engine's
    /// grouped linear layer issues one cuBLAS GEMM per local expert, each paying the launch.
    /// </summary>
    public double Gemm(double m, double n, double k, double count = 1, bool sixteenBit = false, bool launchEach = false)
    {
        if (m <= 0 || n <= 0 || k <= 0 || count <= 0) return 0;
        var fp8 = Fp8 && !sixteenBit;
        var flops = 2 * m * n * k * count;
        var bytes = (fp8
            ? 1.0 * (m * k + k * n) + TransformerModel.ElementBytes * m * n
            : TransformerModel.ElementBytes * (m * k + k * n + m * n)) * count;
        // K½ is the fixed per-tile prologue/epilogue measured in k-steps of the 16-bit main loop. FP8 runs the main
        // loop at the FP8 rate but the epilogue (16-bit output tile, scaling) takes the same time, so in FP8 k-steps
        // the same overhead is longer by the ratio of the two achievable rates: small-k GEMMs gain less than 2x.
        var halfDepth = _constants.GemmHalfEfficiencyDepth * (fp8 ? _fp8Flops / _sixteenBitFlops : 1);
        var efficiency = _constants.GemmPeakEfficiency * k / (k + halfDepth);
        var launches = launchEach ? count : 1;
        return flops / ((fp8 ? _fp8Flops : _sixteenBitFlops) * efficiency) + bytes / _memoryBytesPerSecond + launches * _constants.KernelLaunchSeconds;
    }

    /// <summary>
    /// Seconds for one fused 16-bit attention kernel (Transformer Engine keeps the attention core in 16 bits under
    /// FP8 recipes; FP8 attention is opt-in) doing <paramref name="flops"/> of tensor-core math (FlashAttention).
    /// Where the catalog has the kernel's measured throughput (<see cref="GpuModel.FusedAttention"/>: measured with its
    /// own reads of Q, K and V, so <paramref name="bytes"/> is not added) it runs at the rate measured for its head
    /// dimension and key length: the causal share of the FLOPs at the causal rate, the rest at the unmasked one.
    /// Otherwise it runs at the peak GEMM efficiency of the achievable matmul rate, moving <paramref name="bytes"/>
    /// through HBM.
    /// </summary>
    public double FusedAttention(double flops, double bytes, AttentionKernel kernel, bool backward = false)
    {
        if (flops <= 0) return 0;
        if (_attentionRates is not { } rates)
            return flops / (_sixteenBitFlops * _constants.GemmPeakEfficiency) + bytes / _memoryBytesPerSecond + _constants.KernelLaunchSeconds;
        var causal = kernel.CausalShare > 0 ? kernel.CausalShare / rates.Tflops(backward, causal: true, kernel.HeadDimension, kernel.Keys) : 0;
        var unmasked = kernel.CausalShare < 1 ? (1 - kernel.CausalShare) / rates.Tflops(backward, causal: false, kernel.HeadDimension, kernel.Keys) : 0;
        return flops * (causal + unmasked) / 1e12 + _constants.KernelLaunchSeconds;
    }

    /// <summary>Seconds for memory-bound kernels that move <paramref name="bytes"/> through HBM.</summary>
    public double Stream(double bytes) => bytes / _memoryBytesPerSecond;

    /// <summary>
    /// Ring all-reduce of <paramref name="bytes"/> per rank among <paramref name="ranks"/>: 2(n−1)/n of the data
    /// each way. <paramref name="ranksPerNode"/> group members per node cross the node over that many network cards at once.
    /// </summary>
    public double AllReduce(double bytes, int ranks, LinkProfile link, int ranksPerNode = 1) =>
        Ring(bytes, ranks, link, 2 * (ranks - 1), ranksPerNode);

    /// <summary>Ring all-gather (or reduce-scatter) whose full result is <paramref name="bytes"/>: (n−1)/n of the data each way.</summary>
    public double AllGather(double bytes, int ranks, LinkProfile link, int ranksPerNode = 1) =>
        Ring(bytes, ranks, link, ranks - 1, ranksPerNode);

    /// <summary>All-to-all where each rank holds <paramref name="bytes"/> and keeps 1/n of it: (n−1)/n leaves over the link.</summary>
    public double AllToAll(double bytes, int ranks, LinkProfile link, int ranksPerNode = 1)
    {
        if (ranks <= 1 || bytes <= 0) return 0;
        var bandwidth = link.BandwidthGBps * 1e9 * _constants.CollectiveEfficiency * Math.Max(1, ranksPerNode);
        return (ranks - 1.0) / ranks * bytes / bandwidth + (ranks - 1) * link.LatencyMicroseconds * 1e-6;
    }

    /// <summary>One point-to-point transfer of <paramref name="bytes"/>.</summary>
    public double PointToPoint(double bytes, LinkProfile link) =>
        bytes <= 0 ? 0 : bytes / (link.BandwidthGBps * 1e9 * _constants.CollectiveEfficiency) + link.LatencyMicroseconds * 1e-6;

    private double Ring(double bytes, int ranks, LinkProfile link, int steps, int ranksPerNode)
    {
        if (ranks <= 1 || bytes <= 0) return 0;
        var bandwidth = link.BandwidthGBps * 1e9 * _constants.CollectiveEfficiency * Math.Max(1, ranksPerNode);
        return steps * (bytes / ranks / bandwidth + link.LatencyMicroseconds * 1e-6);
    }
}
