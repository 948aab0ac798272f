namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// Fragmentation Gradient Descent (Weng et al., ATC 2023): try the task on every node that can hold it (on each
/// distinct device choice there) and take the placement that raises the node's <see cref="Fragmentation"/> for the
/// target workload the least. Ties go to the earlier node, so a run is deterministic.
/// </summary>
/// <remarks>
/// The increase depends only on the node's signature and the task, so it is remembered per (signature, task): on a
/// large cluster most nodes share a handful of states (idle nodes of one type above all), and each is scored once.
/// </remarks>
internal sealed class FgdPolicy(TargetWorkload workload) : ISharePolicy
{
    // Bounds the memory of a long run; the cache only saves work, so dropping it is always safe.
    private const int MaxRemembered = 1_000_000;
    private readonly Dictionary<(string Signature, ShareTask Task), (double Increase, int Free)> _remembered = [];

    public string Name => "fgd";

    public SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task)
    {
        SharePlacement? best = null;
        var bestIncrease = double.PositiveInfinity;
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (!ShareCandidates.Admits(node, task)) continue;
            var (increase, free) = Increase(node, task);
            if (increase < bestIncrease)
            {
                bestIncrease = increase;
                best = new SharePlacement(n, Devices(node, task, free));
            }
        }

        return best;
    }

    /// <summary>The smallest increase of the node's fragmentation placing <paramref name="task"/> can cause, and the free share of the device that gives it.</summary>
    public (double Increase, int Free) Increase(ShareNode node, ShareTask task)
    {
        var key = (node.Signature, task);
        if (_remembered.TryGetValue(key, out var known)) return known;
        Span<int> free = node.GpuCount <= 64 ? stackalloc int[node.GpuCount] : new int[node.GpuCount];
        for (var i = 0; i < free.Length; i++) free[i] = node.GpuFree[i];
        var before = Fragmentation.ForWorkload(node.GpuType, node.CpuMilliFree, free, workload);
        var best = (Increase: double.PositiveInfinity, Free: -1);
        foreach (var gpus in ShareCandidates.On(node, task))
        {
            foreach (var gpu in gpus) free[gpu] -= task.GpuMilli;
            var after = Fragmentation.ForWorkload(node.GpuType, node.CpuMilliFree - task.CpuMilli, free, workload);
            foreach (var gpu in gpus) free[gpu] += task.GpuMilli;
            if (after - before < best.Increase) best = (after - before, gpus.Length == 1 ? free[gpus[0]] : -1);
        }

        if (_remembered.Count >= MaxRemembered) _remembered.Clear();
        _remembered[key] = best;
        return best;
    }

    private static int[] Devices(ShareNode node, ShareTask task, int free)
    {
        if (!task.IsFractional) return ShareCandidates.On(node, task).First();
        for (var gpu = 0; gpu < node.GpuCount; gpu++)
        {
            if (node.GpuFree[gpu] == free) return [gpu];
        }

        throw new InvalidOperationException($"node {node.Name} has no device with {free} thousandths free; its signature is stale");
    }
}
