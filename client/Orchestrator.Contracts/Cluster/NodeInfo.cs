namespace Orchestrator.Contracts.Cluster;

/// <summary>One node of the inventory and where it sits in the topology.</summary>
/// <param name="Name">Node name (Kubernetes node name, or generated for a described cluster).</param>
/// <param name="Block">Block (spine) it belongs to.</param>
/// <param name="Rack">Rack (leaf switch) it belongs to.</param>
/// <param name="NvlinkDomain">NVLink domain id; usually the node itself, a whole rack for NVL72-like systems.</param>
/// <param name="GpuType">Device type from the hardware catalog.</param>
/// <param name="GpuCount">Devices on the node.</param>
[GenerateSerializer, Immutable]
public sealed record NodeInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Block,
    [property: Id(2)] string Rack,
    [property: Id(3)] string NvlinkDomain,
    [property: Id(4)] string GpuType,
    [property: Id(5)] int GpuCount);
