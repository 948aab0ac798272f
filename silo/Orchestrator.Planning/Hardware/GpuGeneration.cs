namespace Orchestrator.Planning.Hardware;

/// <summary>Accelerator generations, oldest first; the planner's defaults follow what software does on each.</summary>
public enum GpuGeneration
{
    /// <summary>A host CPU standing in for a device.</summary>
    Cpu = 0,

    /// <summary>NVIDIA Ampere (A100): FlashAttention-2, no FP8.</summary>
    Ampere = 1,

    /// <summary>NVIDIA Hopper (H100, H200): FP8 and overlapped tensor-parallel communication.</summary>
    Hopper = 2,
}
