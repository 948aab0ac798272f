namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// Best fit: the node left with the least free GPU after placing the task (then the least free CPU), and on it the
/// device with the least room that still fits. The classic bin-packing baseline of the FGD paper.
/// </summary>
internal sealed class BestFitPolicy : ISharePolicy
{
    public string Name => "best-fit";

    public SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task)
    {
        var best = -1;
        (long Gpu, int Cpu) bestLeft = (long.MaxValue, int.MaxValue);
        for (var n = 0; n < nodes.Count; n++)
        {
            if (!ShareCandidates.Admits(nodes[n], task)) continue;
            var left = (nodes[n].GpuMilliFreeTotal - task.TotalGpuMilli, nodes[n].CpuMilliFree - task.CpuMilli);
            if (left.CompareTo(bestLeft) < 0)
            {
                best = n;
                bestLeft = left;
            }
        }

        return best < 0 ? null : new SharePlacement(best, ShareCandidates.Tightest(nodes[best], task));
    }
}
