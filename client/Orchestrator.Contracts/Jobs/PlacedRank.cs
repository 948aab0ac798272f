namespace Orchestrator.Contracts.Jobs;

/// <summary>Where one rank of an attempt runs.</summary>
/// <param name="Rank">Global rank (Megatron-LM order: tensor fastest, then data, then pipeline).</param>
/// <param name="DeviceId">Device id, <c>node/index</c>.</param>
/// <param name="Node">The node hosting the device.</param>
[GenerateSerializer, Immutable]
public sealed record PlacedRank(
    [property: Id(0)] int Rank,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string Node);
