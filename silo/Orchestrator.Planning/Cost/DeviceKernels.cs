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
    private readonly bool _fp8;
    private readonly double _peakFlops;
    private readonly double _attentionPeakFlops;
    private readonly double _memoryBytesPerSecond;
    private readonly CostModelConstants _constants;

    public DeviceKernels(GpuModel gpu, Precision precision, CostModelConstants constants)
    {
        // GEMMs run at what the device's matmuls can reach (the measured maximum), scaled by the fitted efficiency.
        _fp8 = precision == Precision.Fp8 && gpu.PeakFp8Tflops is not null;
        _peakFlops = gpu.AchievableTflops(_fp8) * 1e12;
        // Transformer Engine keeps the attention core in 16 bits under FP8 recipes (FP8 attention is opt-in).
        _attentionPeakFlops = gpu.AchievableTflops(fp8: false) * 1e12;
        _memoryBytesPerSecond = gpu.MemoryBandwidthTBps * 1e12 * constants.MemoryBandwidthEfficiency;
        _constants = constants;
    }

    /// <summary>
    /// Seconds for <paramref name="count"/> GEMMs of (m×k)·(k×n) in 16-bit operands launched as one kernel:
    /// compute at an efficiency that grows with the reduction depth k, plus moving the three matrices through HBM
    /// (a roofline that does not assume the operand traffic hides behind the math), plus one launch. In FP8 the
    /// operands are read as 1-byte values and the activation operand is first cast from 16 bits (read 2, write 1
    /// byte per element, Transformer Engine's quantize kernel); the output stays 16-bit.
    /// </summary>
    public double Gemm(double m, double n, double k, double count = 1)
    {
        if (m <= 0 || n <= 0 || k <= 0 || count <= 0) return 0;
        var flops = 2 * m * n * k * count;
        var bytes = (_fp8
            ? 1.0 * (m * k + k * n) + TransformerModel.ElementBytes * m * n + (TransformerModel.ElementBytes + 1.0) * m * k
            : TransformerModel.ElementBytes * (m * k + k * n + m * n)) * count;
        var efficiency = _constants.GemmPeakEfficiency * k / (k + _constants.GemmHalfEfficiencyDepth);
        return flops / (_peakFlops * efficiency) + bytes / _memoryBytesPerSecond + _constants.KernelLaunchSeconds;
    }

    /// <summary>
    /// Seconds for one fused 16-bit attention kernel doing <paramref name="flops"/> of tensor-core math at the
    /// peak GEMM efficiency and moving <paramref name="bytes"/> (FlashAttention).
    /// </summary>
    public double FusedAttention(double flops, double bytes) =>
        flops / (_attentionPeakFlops * _constants.GemmPeakEfficiency) + bytes / _memoryBytesPerSecond + _constants.KernelLaunchSeconds;

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
