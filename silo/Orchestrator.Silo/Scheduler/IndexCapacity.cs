using Orchestrator.Planning.Placement;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduling policy's view of free capacity, backed by the planner's topology-aware index and rank placer.
/// Device ids of a placement come back in rank order. Successful placements are remembered (shared by clones, as the
/// pass places on clones) so the grain can price a start with the links its placement really uses; null
/// <c>placements</c> remembers none (the simulator prices nothing, and keying a gang of thousands costs a long string).
/// Make one per pass: the device numbers of located lists are remembered for its life (see <see cref="Locate"/>).
/// </summary>
internal sealed class IndexCapacity : ICapacity
{
    private readonly FreeCapacityIndex _index;
    private readonly OrchestratorMetrics? _metrics;
    private readonly Dictionary<string, PlacementResult>? _placements;

    // Device numbers of the id lists located so far, by list instance, shared by clones: validation locates every
    // held device once, and the pass's copies then free and take those same lists again (the never-fits check, the
    // reservation search, preemption) without looking each id up. The pass never changes its inputs' lists.
    private readonly Dictionary<IReadOnlyList<string>, int[]> _located;

    public IndexCapacity(FreeCapacityIndex index, OrchestratorMetrics? metrics, Dictionary<string, PlacementResult>? placements)
        : this(index, metrics, placements, new Dictionary<IReadOnlyList<string>, int[]>(ReferenceEqualityComparer.Instance))
    {
    }

    private IndexCapacity(FreeCapacityIndex index, OrchestratorMetrics? metrics, Dictionary<string, PlacementResult>? placements,
        Dictionary<IReadOnlyList<string>, int[]> located)
    {
        _index = index;
        _metrics = metrics;
        _placements = placements;
        _located = located;
    }

    public FreeCapacityIndex Index => _index;

    public int FreeCount => _index.FreeCount();

    public bool IsFree(string deviceId) => _index.IsFree(deviceId);

    public int DeviceCount => _index.Topology.Devices.Count;

    public IReadOnlyList<int> Locate(IReadOnlyList<string> deviceIds)
    {
        if (_located.TryGetValue(deviceIds, out var known)) return known;
        var numbers = new int[deviceIds.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = _index.DeviceNumber(deviceIds[i]);
        }

        _located[deviceIds] = numbers;
        return numbers;
    }

    public bool IsFreeAt(int device) => _index.IsFreeAt(device);

    public CapacityPlacement TryPlace(PlacementDemand demand)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = RankPlacer.Place(_index, new GangRequest(demand.Layout, demand.GpuType, demand.AvoidDevices));
        _metrics?.PlacementSeconds.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!result.Succeeded) return CapacityPlacement.Failed(result.FailureReason!);
        var ids = result.DeviceIds.ToList();
        if (_placements is not null) _placements[Key(ids)] = result;
        return CapacityPlacement.Placed(ids);
    }

    public string? WhyNotPlaced(PlacementDemand demand)
    {
        var request = new GangRequest(demand.Layout, demand.GpuType, demand.AvoidDevices);

        // A failed placement stops before choosing devices, so asking for it is as cheap as asking whether it fits.
        return RankPlacer.Fits(_index, request) ? null : RankPlacer.Place(_index, request).FailureReason;
    }

    public void MarkBusy(IEnumerable<string> deviceIds)
    {
        if (Located(deviceIds) is { } numbers) _index.MarkBusyAt(numbers);
        else _index.MarkBusy(deviceIds);
    }

    public void MarkFree(IEnumerable<string> deviceIds)
    {
        if (Located(deviceIds) is { } numbers) _index.MarkFreeAt(numbers);
        else _index.MarkFree(deviceIds);
    }

    public ICapacity Clone() => new IndexCapacity(_index.Clone(), null, _placements, _located);

    /// <summary>The key a placement is remembered under: its devices in rank order.</summary>
    public static string Key(IEnumerable<string> deviceIds) => string.Join(',', deviceIds);

    private int[]? Located(IEnumerable<string> deviceIds) =>
        deviceIds is IReadOnlyList<string> list && _located.TryGetValue(list, out var numbers) ? numbers : null;
}
