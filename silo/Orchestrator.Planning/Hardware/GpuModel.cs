namespace Orchestrator.Planning.Hardware;

/// <summary>One kind of accelerator and the node it usually ships in (vendor data sheets, DGX reference designs).</summary>
/// <param name="Name">Catalog name as written in job specs and inventories, e.g. <c>h100-80gb</c>.</param>
/// <param name="PeakBf16Tflops">Dense BF16/FP16 tensor-core peak in TFLOP/s.</param>
/// <param name="PeakFp8Tflops">Dense FP8 peak in TFLOP/s, or null where the device has none.</param>
/// <param name="MemoryGiB">Device memory (HBM) in GiB.</param>
/// <param name="MemoryBandwidthTBps">Device memory bandwidth in TB/s.</param>
/// <param name="NvlinkGBps">NVLink bandwidth per GPU, GB/s each way.</param>
/// <param name="NetworkGBps">Scale-out network bandwidth per GPU, GB/s each way.</param>
/// <param name="GpusPerNode">Devices per node (one NVLink domain) in the reference design.</param>
/// <param name="Generation">Architecture generation: what current training software can do on it.</param>
/// <param name="AchievableBf16Tflops">Maximum achievable BF16 matmul TFLOP/s (measured); null for the data-sheet peak.</param>
/// <param name="AchievableFp8Tflops">Maximum achievable FP8 matmul TFLOP/s (measured); null for the data-sheet peak.</param>
/// <param name="FusedAttention">
/// Name of the measurement of the fused 16-bit attention kernel on this device (<c>Hardware/fused-attention.csv</c>:
/// throughput by pass, causal mask, head dimension and sequence length); null when not measured, and the cost model
/// prices the kernel at its GEMM efficiency instead.
/// </param>
public sealed record GpuModel(
    string Name,
    double PeakBf16Tflops,
    double? PeakFp8Tflops,
    double MemoryGiB,
    double MemoryBandwidthTBps,
    double NvlinkGBps,
    double NetworkGBps,
    int GpusPerNode,
    GpuGeneration Generation = GpuGeneration.Ampere,
    double? AchievableBf16Tflops = null,
    double? AchievableFp8Tflops = null,
    string? FusedAttention = null)
{
    /// <summary>TFLOP/s a matmul in <paramref name="fp8"/> (or 16-bit) can reach: the measured maximum, else the peak.</summary>
    public double AchievableTflops(bool fp8) =>
        fp8 && PeakFp8Tflops is { } peak8 ? AchievableFp8Tflops ?? peak8 : AchievableBf16Tflops ?? PeakBf16Tflops;

    /// <summary>Whether current practice runs the fused FlashAttention kernel here (FlashAttention-2 needs Ampere or later).</summary>
    public bool RunsFlashAttention => Generation >= GpuGeneration.Ampere;

    /// <summary>Whether current practice overlaps tensor-parallel communication with GEMMs here (Transformer Engine userbuffers need Hopper).</summary>
    public bool OverlapsTensorCommunication => Generation >= GpuGeneration.Hopper;
}
