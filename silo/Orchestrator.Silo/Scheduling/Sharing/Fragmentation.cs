namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// The fragmentation measure of Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with
/// Fragmentation Gradient Descent" (USENIX ATC 2023, section 3): the GPU thousandths of a node that a task of a given
/// shape could not use. If the task cannot run on the node at all (wrong device type, not enough CPU, not enough
/// devices with room, or it wants no GPU), every free share is a fragment; if it can, the free shares of the devices
/// too small for it are. A node's fragmentation for a workload is that, weighted by each shape's popularity.
/// </summary>
internal static class Fragmentation
{
    /// <summary>F_n(m): thousandths of <paramref name="free"/> that <paramref name="task"/> could not use.</summary>
    public static long ForTask(string? gpuType, int cpuMilliFree, ReadOnlySpan<int> free, ShareTask task)
    {
        long total = 0, tooSmall = 0;
        var fitting = 0;
        foreach (var share in free)
        {
            total += share;
            if (share >= task.GpuMilli) fitting++;
            else tooSmall += share;
        }

        var runs = task.GpuCount > 0
            && (task.GpuType is null || string.Equals(task.GpuType, gpuType, StringComparison.Ordinal))
            && cpuMilliFree >= task.CpuMilli
            && fitting >= task.GpuCount;
        return runs ? tooSmall : total;
    }

    /// <summary>F_n(M): the popularity-weighted sum of <see cref="ForTask"/> over the workload's shapes.</summary>
    public static double ForWorkload(string? gpuType, int cpuMilliFree, ReadOnlySpan<int> free, TargetWorkload workload)
    {
        var sum = 0.0;
        foreach (var shape in workload.Shapes)
        {
            sum += shape.Popularity * ForTask(gpuType, cpuMilliFree, free, shape.Task);
        }

        return sum;
    }

    /// <summary>F_n(M) of a node as it stands.</summary>
    public static double Of(ShareNode node, TargetWorkload workload)
    {
        Span<int> free = node.GpuCount <= 64 ? stackalloc int[node.GpuCount] : new int[node.GpuCount];
        for (var i = 0; i < free.Length; i++) free[i] = node.GpuFree[i];
        return ForWorkload(node.GpuType, node.CpuMilliFree, free, workload);
    }
}
