namespace Orchestrator.Planning.Cost;

/// <summary>
/// The calibration constants of the cost model. Every one is a physical efficiency or overhead; none is tied to a
/// model size or a measured row. <c>docs/planner.md</c> says where each default comes from.
/// </summary>
/// <param name="GemmPeakEfficiency">
/// Fraction of the device's maximum achievable matmul FLOP/s (<see cref="Hardware.GpuModel.AchievableTflops"/>, a
/// measured figure) that a deep transformer GEMM reaches.
/// </param>
/// <param name="GemmHalfEfficiencyDepth">
/// Reduction depth k at which a GEMM runs at half its peak efficiency: efficiency scales with k/(k + this), since
/// every output tile pays a fixed prologue and epilogue (loading the pipeline, writing the tile) that a short
/// k-loop cannot amortise — what makes row-parallel GEMMs with a narrow h/t input slower.
/// </param>
/// <param name="KernelLaunchSeconds">Fixed cost of one kernel (launch and tail), added per GEMM.</param>
/// <param name="MemoryBandwidthEfficiency">Fraction of the HBM data-sheet bandwidth that streaming kernels reach (0.85–0.92 measured with STREAM-like kernels).</param>
/// <param name="CollectiveEfficiency">Fraction of the link bandwidth NCCL collectives and point-to-point transfers reach.</param>
/// <param name="OptimizerBytesPerParameter">HBM bytes the fused mixed-precision Adam step moves per parameter it updates.</param>
/// <param name="MemoryReserveFraction">Share of device memory kept free for the CUDA context, NCCL buffers and allocator fragmentation.</param>
public sealed record CostModelConstants(
    double GemmPeakEfficiency = 0.9524,
    double GemmHalfEfficiencyDepth = 16.25,
    double KernelLaunchSeconds = 20e-6,
    double MemoryBandwidthEfficiency = 0.8424,
    double CollectiveEfficiency = 0.5321,
    double OptimizerBytesPerParameter = 30,
    double MemoryReserveFraction = 0.1)
{
    /// <summary>
    /// The defaults: the five efficiencies and overheads are what <see cref="Calibration.ConstantsFit"/> gives on the
    /// 18 published Megatron-LM points (a test reruns the fit and fails if they drift); <c>docs/planner.md</c> says more.
    /// </summary>
    public static CostModelConstants Default { get; } = new();

    /// <summary>Checks every efficiency lies in (0, 1] and every overhead is non-negative.</summary>
    /// <returns>An error naming the constant, or null.</returns>
    public string? Validate()
    {
        if (!InUnitInterval(GemmPeakEfficiency)) return $"GemmPeakEfficiency must lie in (0, 1], got {GemmPeakEfficiency}";
        if (!InUnitInterval(MemoryBandwidthEfficiency)) return $"MemoryBandwidthEfficiency must lie in (0, 1], got {MemoryBandwidthEfficiency}";
        if (!InUnitInterval(CollectiveEfficiency)) return $"CollectiveEfficiency must lie in (0, 1], got {CollectiveEfficiency}";
        if (GemmHalfEfficiencyDepth < 0) return $"GemmHalfEfficiencyDepth must not be negative, got {GemmHalfEfficiencyDepth}";
        if (KernelLaunchSeconds < 0) return $"KernelLaunchSeconds must not be negative, got {KernelLaunchSeconds}";
        if (OptimizerBytesPerParameter < 0) return $"OptimizerBytesPerParameter must not be negative, got {OptimizerBytesPerParameter}";
        if (MemoryReserveFraction is < 0 or >= 1) return $"MemoryReserveFraction must lie in [0, 1), got {MemoryReserveFraction}";
        return null;
    }

    private static bool InUnitInterval(double value) => value > 0 && value <= 1;
}
