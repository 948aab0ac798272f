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
public sealed record GpuModel(
    string Name,
    double PeakBf16Tflops,
    double? PeakFp8Tflops,
    double MemoryGiB,
    double MemoryBandwidthTBps,
    double NvlinkGBps,
    double NetworkGBps,
    int GpusPerNode,
    GpuGeneration Generation = GpuGeneration.Ampere)
{
    /// <summary>Whether current practice runs the fused FlashAttention kernel here (FlashAttention-2 needs Ampere or later).</summary>
    public bool RunsFlashAttention => Generation >= GpuGeneration.Ampere;

    /// <summary>Whether current practice overlaps tensor-parallel communication with GEMMs here (Transformer Engine userbuffers need Hopper).</summary>
    public bool OverlapsTensorCommunication => Generation >= GpuGeneration.Hopper;
}
