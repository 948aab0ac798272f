namespace Orchestrator.Contracts.Cluster;

/// <summary>The link used by traffic that crosses one topology level.</summary>
/// <param name="Level">Level name: <c>nvlinkDomain</c>, <c>node</c>, <c>rack</c>, <c>block</c> or <c>cluster</c>.</param>
/// <param name="BandwidthGBps">Per-GPU bandwidth one way, GB/s.</param>
/// <param name="LatencyMicroseconds">One-way latency, microseconds.</param>
[GenerateSerializer, Immutable]
public sealed record LinkInfo(
    [property: Id(0)] string Level,
    [property: Id(1)] double BandwidthGBps,
    [property: Id(2)] double LatencyMicroseconds);
