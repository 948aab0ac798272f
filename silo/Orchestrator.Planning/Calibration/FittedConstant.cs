using Orchestrator.Planning.Cost;

namespace Orchestrator.Planning.Calibration;

/// <summary>One constant the fit may move, the physical range it may move in and where that range comes from.</summary>
/// <param name="Name">The <see cref="CostModelConstants"/> property.</param>
/// <param name="Lower">Smallest physically plausible value.</param>
/// <param name="Upper">Largest physically plausible value.</param>
/// <param name="Provenance">Why the range is what it is.</param>
/// <param name="Get">Reads the constant.</param>
/// <param name="Set">Returns the constants with this one replaced.</param>
internal sealed record FittedConstant(
    string Name,
    double Lower,
    double Upper,
    string Provenance,
    Func<CostModelConstants, double> Get,
    Func<CostModelConstants, double, CostModelConstants> Set)
{
    /// <summary>The five constants the calibration fits; the rest (optimizer bytes, memory reserve) are counted, not fitted.</summary>
    public static IReadOnlyList<FittedConstant> All { get; } =
    [
        new(nameof(CostModelConstants.GemmPeakEfficiency), 0.80, 1.0,
            "a transformer's large GEMMs reach 80-100% of the device's measured maximum achievable matmul FLOP/s",
            c => c.GemmPeakEfficiency, (c, x) => c with { GemmPeakEfficiency = x }),
        new(nameof(CostModelConstants.GemmHalfEfficiencyDepth), 16, 256,
            "one quarter to four 64-deep k-steps of tile prologue and epilogue",
            c => c.GemmHalfEfficiencyDepth, (c, x) => c with { GemmHalfEfficiencyDepth = x }),
        new(nameof(CostModelConstants.KernelLaunchSeconds), 3e-6, 20e-6,
            "launch plus tail of one GEMM kernel, 5-20 µs measured for Megatron-sized kernels",
            c => c.KernelLaunchSeconds, (c, x) => c with { KernelLaunchSeconds = x }),
        new(nameof(CostModelConstants.MemoryBandwidthEfficiency), 0.80, 0.95,
            "STREAM-like kernels reach 80-95% of the HBM data-sheet bandwidth",
            c => c.MemoryBandwidthEfficiency, (c, x) => c with { MemoryBandwidthEfficiency = x }),
        new(nameof(CostModelConstants.CollectiveEfficiency), 0.50, 0.85,
            "NCCL ring bus bandwidth on 25-100 MB messages: 50-85% of the NVLink/InfiniBand line rate",
            c => c.CollectiveEfficiency, (c, x) => c with { CollectiveEfficiency = x }),
    ];
}
