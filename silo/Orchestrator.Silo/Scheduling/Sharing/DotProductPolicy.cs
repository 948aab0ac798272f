namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// Dot product (Tetris, Grandl et al., SIGCOMM 2014): the node whose free CPU and GPU, each as a share of the node's
/// own, align best with the task's demand as a share of the same; the device with the least room that fits on it.
/// </summary>
internal sealed class DotProductPolicy : ISharePolicy
{
    public string Name => "dot-product";

    public SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task)
    {
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (!ShareCandidates.Admits(node, task)) continue;
            var score = Term(task.CpuMilli, node.CpuMilliFree, node.CpuMilliCapacity)
                + Term(task.TotalGpuMilli, node.GpuMilliFreeTotal, node.GpuCount * 1000L);
            if (score > bestScore)
            {
                best = n;
                bestScore = score;
            }
        }

        return best < 0 ? null : new SharePlacement(best, ShareCandidates.Tightest(nodes[best], task));
    }

    private static double Term(double demand, double free, double capacity) =>
        capacity <= 0 ? 0 : demand / capacity * (free / capacity);
}
