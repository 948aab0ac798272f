namespace Orchestrator.Kubernetes;

/// <summary>How the NVIDIA device plugin shares the GPUs that GPU shares (<c>resources.gpuFraction</c>) run on.</summary>
public enum GpuSharingStrategy
{
    /// <summary>CUDA MPS (the device plugin's <c>sharing.mps</c>): processes run concurrently, each limited to its
    /// share of the streaming multiprocessors (<c>CUDA_MPS_ACTIVE_THREAD_PERCENTAGE</c>) and, by the plugin, of memory.</summary>
    Mps,

    /// <summary>Time-slicing (the device plugin's <c>sharing.timeSlicing</c>): processes take turns on the whole
    /// device; nothing limits one tenant's memory or compute.</summary>
    TimeSlicing,
}
