using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// What one task asks of a node, in the units GPU-sharing schedulers pack in: CPU in millicores, memory in MiB and
/// <paramref name="GpuCount"/> devices of <paramref name="GpuMilli"/> thousandths each (1000 is a whole device; below
/// 1000 only with one device, a share of it; 0 devices for a CPU-only task).
/// </summary>
/// <param name="CpuMilli">CPU millicores (0 where the cluster does not account CPU).</param>
/// <param name="MemoryMib">Memory in MiB (0 where the cluster does not account memory).</param>
/// <param name="GpuCount">Devices wanted.</param>
/// <param name="GpuMilli">Thousandths of each device.</param>
/// <param name="GpuType">Device type required, or null for any.</param>
internal sealed record ShareTask(int CpuMilli, long MemoryMib, int GpuCount, int GpuMilli, string? GpuType = null)
{
    /// <summary>True for a share of one device (packed onto a shared device).</summary>
    public bool IsFractional => GpuCount == 1 && GpuMilli < GpuShareRules.Milli;

    /// <summary>GPU thousandths asked for in all.</summary>
    public long TotalGpuMilli => (long)GpuCount * GpuMilli;

    /// <summary>A share of one device and nothing else (how the scheduler sees a <c>resources.gpuFraction</c> job).</summary>
    public static ShareTask Fraction(int gpuMilli, string? gpuType = null)
    {
        if (gpuMilli is <= 0 or >= GpuShareRules.Milli)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "a share is between 1 and 999 thousandths of a device");
        return new ShareTask(0, 0, 1, gpuMilli, gpuType);
    }

    /// <summary>Throws when the shape is not one a node can be asked for.</summary>
    public void Validate()
    {
        if (CpuMilli < 0 || MemoryMib < 0) throw new ArgumentException($"task {this}: CPU and memory must not be negative");
        if (GpuCount < 0) throw new ArgumentException($"task {this}: device count must not be negative");
        if (GpuCount > 0 && GpuMilli is <= 0 or > GpuShareRules.Milli)
            throw new ArgumentException($"task {this}: each device's share must be between 1 and {GpuShareRules.Milli} thousandths");
        if (GpuCount > 1 && GpuMilli != GpuShareRules.Milli)
            throw new ArgumentException($"task {this}: only a single device may be shared; several devices are taken whole");
    }
}
