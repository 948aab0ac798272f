namespace Orchestrator.Contracts.Cluster;

/// <summary>The topology tree with the allocation and health of every device.</summary>
/// <param name="Name">Inventory name.</param>
/// <param name="Source">Where the inventory came from.</param>
/// <param name="Nodes">Nodes in topology order (block, rack, node).</param>
/// <param name="Links">Links per level.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Source,
    [property: Id(2)] IReadOnlyList<NodeView> Nodes,
    [property: Id(3)] IReadOnlyList<LinkInfo> Links)
{
    /// <summary>Devices in all.</summary>
    public int Total => Nodes.Sum(n => n.Gpus.Count);

    /// <summary>Devices held by a job.</summary>
    public int Allocated => Nodes.Sum(n => n.Gpus.Count(g => g.JobId is not null));
}
