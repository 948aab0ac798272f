namespace Orchestrator.Contracts.Cluster;

/// <summary>One node with its devices and their allocation.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeView(
    [property: Id(0)] NodeInfo Node,
    [property: Id(1)] IReadOnlyList<GpuView> Gpus);
