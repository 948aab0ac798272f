using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>Whether a node can hold a task, and the device choices on it worth comparing.</summary>
internal static class ShareCandidates
{
    /// <summary>True when <paramref name="node"/> has the device type, CPU, memory and devices <paramref name="task"/> needs.</summary>
    public static bool Admits(ShareNode node, ShareTask task)
    {
        if (task.GpuCount > 0 && task.GpuType is { } type && !string.Equals(type, node.GpuType, StringComparison.Ordinal)) return false;
        if (node.CpuMilliFree < task.CpuMilli || node.MemoryMibFree < task.MemoryMib) return false;
        return Fitting(node, task.GpuMilli) >= task.GpuCount;
    }

    /// <summary>
    /// The distinct device choices for <paramref name="task"/> on an admitting node: a share may go on any device with
    /// room (devices with the same free share are the same choice, so one of each); whole devices are interchangeable
    /// (the first free ones); a CPU-only task takes none.
    /// </summary>
    public static IEnumerable<int[]> On(ShareNode node, ShareTask task)
    {
        if (task.GpuCount == 0)
        {
            yield return [];
            yield break;
        }

        if (!task.IsFractional)
        {
            yield return FirstWhole(node, task.GpuCount);
            yield break;
        }

        var seen = new HashSet<int>();
        for (var gpu = 0; gpu < node.GpuCount; gpu++)
        {
            if (node.GpuFree[gpu] >= task.GpuMilli && seen.Add(node.GpuFree[gpu])) yield return [gpu];
        }
    }

    /// <summary>For a share: the device with the least room that still fits (best fit inside a node); else the first free ones.</summary>
    public static int[] Tightest(ShareNode node, ShareTask task)
    {
        if (task.GpuCount == 0) return [];
        if (!task.IsFractional) return FirstWhole(node, task.GpuCount);
        var best = -1;
        for (var gpu = 0; gpu < node.GpuCount; gpu++)
        {
            var free = node.GpuFree[gpu];
            if (free >= task.GpuMilli && (best < 0 || free < node.GpuFree[best])) best = gpu;
        }

        return [best];
    }

    /// <summary>The first device(s) with room, in device order.</summary>
    public static int[] First(ShareNode node, ShareTask task) =>
        Enumerable.Range(0, node.GpuCount).Where(g => node.GpuFree[g] >= task.GpuMilli).Take(task.GpuCount).ToArray();

    private static int[] FirstWhole(ShareNode node, int count) =>
        Enumerable.Range(0, node.GpuCount).Where(g => node.GpuFree[g] == GpuShareRules.Milli).Take(count).ToArray();

    private static int Fitting(ShareNode node, int milli)
    {
        var count = 0;
        foreach (var free in node.GpuFree)
        {
            if (free >= milli) count++;
        }

        return count;
    }
}
