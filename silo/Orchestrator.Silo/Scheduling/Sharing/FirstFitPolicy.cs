namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>First fit: the first node in order that can hold the task, and its first devices with room (packs from the front).</summary>
internal sealed class FirstFitPolicy : ISharePolicy
{
    public string Name => "first-fit";

    public SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task)
    {
        for (var n = 0; n < nodes.Count; n++)
        {
            if (ShareCandidates.Admits(nodes[n], task)) return new SharePlacement(n, ShareCandidates.First(nodes[n], task));
        }

        return null;
    }
}
