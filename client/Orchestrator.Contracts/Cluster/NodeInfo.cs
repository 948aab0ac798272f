namespace Orchestrator.Contracts.Cluster;

/// <summary>One node of the inventory and where it sits in the topology.</summary>
/// <param name="Name">Node name (Kubernetes node name, or generated for a described cluster).</param>
/// <param name="Block">Block (spine) it belongs to.</param>
/// <param name="Rack">Rack (leaf switch) it belongs to.</param>
/// <param name="NvlinkDomain">NVLink domain id; usually the node itself, a whole rack for NVL72-like systems.</param>
/// <param name="GpuType">Device type from the hardware catalog.</param>
/// <param name="GpuCount">Devices on the node.</param>
/// <param name="Schedulable">False while the node may not take work (Kubernetes: NotReady, cordoned, tainted
/// NoSchedule/NoExecute, or refused); its devices are then left out of scheduling but still shown.</param>
/// <param name="Status">What the node's source says of it, e.g. <c>Ready</c> or <c>NotReady; taints: gpu=broken:NoSchedule</c>; null where the source says nothing (files, the local machine).</param>
[GenerateSerializer, Immutable]
public sealed record NodeInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Block,
    [property: Id(2)] string Rack,
    [property: Id(3)] string NvlinkDomain,
    [property: Id(4)] string GpuType,
    [property: Id(5)] int GpuCount,
    [property: Id(6)] bool Schedulable = true,
    [property: Id(7)] string? Status = null);
