namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>Random fit: a node chosen uniformly among those that can hold the task, and devices with room chosen uniformly on it; seeded.</summary>
internal sealed class RandomFitPolicy(int seed) : ISharePolicy
{
    private readonly Random _random = new(seed);

    public string Name => "random";

    public SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task)
    {
        var admitting = Enumerable.Range(0, nodes.Count).Where(n => ShareCandidates.Admits(nodes[n], task)).ToList();
        if (admitting.Count == 0) return null;
        var chosen = admitting[_random.Next(admitting.Count)];
        var node = nodes[chosen];
        var fitting = Enumerable.Range(0, node.GpuCount).Where(g => node.GpuFree[g] >= task.GpuMilli).ToArray();
        _random.Shuffle(fitting);
        return new SharePlacement(chosen, fitting.Take(task.GpuCount).Order().ToArray());
    }
}
