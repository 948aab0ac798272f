namespace Orchestrator.Contracts.Cluster;

/// <summary>The cluster as last discovered or described: nodes and links. Persisted by the cluster grain.</summary>
/// <param name="Name">Inventory name.</param>
/// <param name="Source">Where it came from: <c>local</c>, <c>file:PATH</c>, <c>kubernetes</c>.</param>
/// <param name="Nodes">Every node.</param>
/// <param name="Links">The link of each level.</param>
[GenerateSerializer, Immutable]
public sealed record InventorySnapshot(
    [property: Id(0)] string Name,
    [property: Id(1)] string Source,
    [property: Id(2)] IReadOnlyList<NodeInfo> Nodes,
    [property: Id(3)] IReadOnlyList<LinkInfo> Links)
{
    /// <summary>Devices over all nodes.</summary>
    public int DeviceCount => Nodes.Sum(n => n.GpuCount);
}
