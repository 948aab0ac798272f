using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>
/// The outcome of placing one gang: every rank's device, or nothing and the reason. Placing does not reserve: the
/// caller marks <see cref="DeviceIds"/> busy on its <see cref="FreeCapacityIndex"/>.
/// </summary>
public sealed record PlacementResult
{
    /// <summary>Whether every rank got a device.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The device of each rank, in rank order (Megatron-LM: tensor fastest, then data, then pipeline); empty on failure.</summary>
    public IReadOnlyList<GpuDevice> RankDevices { get; init; } = [];

    /// <summary>The GPU type placed on; null on failure.</summary>
    public string? GpuType { get; init; }

    /// <summary>Distinct NVLink domains the gang uses.</summary>
    public int NvlinkDomainsSpanned { get; init; }

    /// <summary>Distinct nodes the gang uses.</summary>
    public int NodesSpanned { get; init; }

    /// <summary>Distinct racks the gang uses.</summary>
    public int RacksSpanned { get; init; }

    /// <summary>Distinct blocks the gang uses.</summary>
    public int BlocksSpanned { get; init; }

    /// <summary>The innermost level holding the whole gang.</summary>
    public TopologyLevel SpannedLevel { get; init; }

    /// <summary>
    /// For each group kind, the outermost level any one of its groups crosses: the link the cost model should price
    /// that kind's collectives with. A group of one rank crosses nothing and reports <see cref="TopologyLevel.NvlinkDomain"/>.
    /// Empty on failure.
    /// </summary>
    public IReadOnlyDictionary<ParallelGroupKind, TopologyLevel> GroupLevels { get; init; } = new Dictionary<ParallelGroupKind, TopologyLevel>();

    /// <summary>On failure, what was needed and what is free; null on success.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The ids of <see cref="RankDevices"/>, in rank order: what to pass to <see cref="FreeCapacityIndex.MarkBusy"/>.</summary>
    public IEnumerable<string> DeviceIds => RankDeviceIds ?? RankDevices.Select(d => d.Id);

    /// <summary>The ids of <see cref="RankDevices"/> when the placer already holds them (it does), so none is formatted again.</summary>
    internal IReadOnlyList<string>? RankDeviceIds { get; init; }

    /// <summary>The outermost level groups of <paramref name="kind"/> cross.</summary>
    /// <exception cref="InvalidOperationException">The placement failed.</exception>
    public TopologyLevel LevelOf(ParallelGroupKind kind) =>
        Succeeded ? GroupLevels[kind] : throw new InvalidOperationException($"placement failed: {FailureReason}");

    /// <summary>A failed placement.</summary>
    public static PlacementResult Failure(string reason) => new() { Succeeded = false, FailureReason = reason };
}
