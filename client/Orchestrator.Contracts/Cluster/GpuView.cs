namespace Orchestrator.Contracts.Cluster;

/// <summary>One device as seen in the cluster view.</summary>
/// <param name="Id">Device id, <c>node/index</c>.</param>
/// <param name="GpuType">Device type.</param>
/// <param name="Health">Health.</param>
/// <param name="JobId">The job holding it, or null when free.</param>
[GenerateSerializer, Immutable]
public sealed record GpuView(
    [property: Id(0)] string Id,
    [property: Id(1)] string GpuType,
    [property: Id(2)] GpuHealth Health,
    [property: Id(3)] string? JobId);
