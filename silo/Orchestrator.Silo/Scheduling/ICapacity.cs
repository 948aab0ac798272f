namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// The free devices the scheduler may hand out, and gang placement onto them. Shaped like the topology branch's
/// <c>FreeCapacityIndex</c> + <c>RankPlacer</c> so an adapter over the real index is a few lines; the scheduling pass
/// only ever mutates clones, never the instance it is given.
/// </summary>
internal interface ICapacity
{
    /// <summary>Devices free now.</summary>
    int FreeCount { get; }

    /// <summary>Whether <paramref name="deviceId"/> is known and free.</summary>
    bool IsFree(string deviceId);

    /// <summary>Devices known, free or not: numbers from <see cref="Locate"/> run from 0 to this - 1.</summary>
    int DeviceCount { get; }

    /// <summary>
    /// The numbers of known devices, in the order given: a check over every held device keeps its facts in an array by
    /// number instead of hashing each id again. Throws for an unknown id, as <see cref="IsFree"/> does where unknown
    /// devices are an error. A capacity may remember the numbers of <paramref name="deviceIds"/> (by instance, for its
    /// own life and its clones') to mark the same list busy or free without looking it up again: do not change the
    /// list afterwards.
    /// </summary>
    IReadOnlyList<int> Locate(IReadOnlyList<string> deviceIds);

    /// <summary>Whether the device numbered <paramref name="device"/> (see <see cref="Locate"/>) is free.</summary>
    bool IsFreeAt(int device);

    /// <summary>
    /// Places every rank of <paramref name="demand"/> on free devices, or none (gang semantics). Does not mark the
    /// devices busy: the caller does that when it commits to the placement.
    /// </summary>
    CapacityPlacement TryPlace(PlacementDemand demand);

    /// <summary>
    /// Whether <see cref="TryPlace"/> would place <paramref name="demand"/>, without choosing its devices: null when it
    /// would, else the failure reason it would give. For searches that only need yes or no, such as a reservation's
    /// binary search over future capacity.
    /// </summary>
    string? WhyNotPlaced(PlacementDemand demand);

    /// <summary>Marks devices as taken. Throws when one is unknown or already busy.</summary>
    void MarkBusy(IEnumerable<string> deviceIds);

    /// <summary>Marks devices as free again. Throws when one is unknown.</summary>
    void MarkFree(IEnumerable<string> deviceIds);

    /// <summary>An independent copy: changes to it do not show in this instance.</summary>
    ICapacity Clone();
}
