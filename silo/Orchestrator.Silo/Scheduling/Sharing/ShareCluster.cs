namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// Nodes whose devices may be shared, and the placing and releasing of tasks on them through a policy. The pure core
/// the scheduler's <see cref="SharedDevices"/> and the openb benchmark both use. Every change goes through
/// <see cref="ShareNode.Take"/>/<see cref="ShareNode.Give"/>, which refuse to put more than a whole device on one.
/// </summary>
internal sealed class ShareCluster
{
    private readonly List<ShareNode> _nodes;

    public ShareCluster(IEnumerable<ShareNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = nodes.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in _nodes.Where(n => !names.Add(n.Name)))
            throw new ArgumentException($"node {node.Name} is listed twice", nameof(nodes));
    }

    public IReadOnlyList<ShareNode> Nodes => _nodes;

    /// <summary>Thousandths of a device in the whole cluster.</summary>
    public long GpuMilliCapacity => _nodes.Sum(n => (long)n.GpuCount * 1000);

    /// <summary>Thousandths of a device held by tasks.</summary>
    public long GpuMilliAllocated => GpuMilliCapacity - _nodes.Sum(n => n.GpuMilliFreeTotal);

    /// <summary>Places <paramref name="task"/> where <paramref name="policy"/> chooses and takes its resources; null when nothing can hold it.</summary>
    public SharePlacement? TryPlace(ShareTask task, ISharePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(policy);
        task.Validate();
        var placement = policy.Choose(_nodes, task);
        if (placement is null) return null;
        if (placement.Node < 0 || placement.Node >= _nodes.Count)
            throw new InvalidOperationException($"policy {policy.Name} chose node {placement.Node} of {_nodes.Count}");
        _nodes[placement.Node].Take(task, placement.Gpus);
        return placement;
    }

    /// <summary>Gives back what a placement of <paramref name="task"/> took: only its share of each device.</summary>
    public void Release(SharePlacement placement, ShareTask task)
    {
        ArgumentNullException.ThrowIfNull(placement);
        _nodes[placement.Node].Give(task, placement.Gpus);
    }
}
