using Orchestrator.Planning.Placement;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduling policy's view of free capacity, backed by the planner's topology-aware index and rank placer.
/// Device ids of a placement come back in rank order. Successful placements are remembered (shared by clones, as the
/// pass places on clones) so the grain can price a start with the links its placement really uses; null
/// <c>placements</c> remembers none (the simulator prices nothing, and keying a gang of thousands costs a long string).
/// </summary>
internal sealed class IndexCapacity(FreeCapacityIndex index, OrchestratorMetrics? metrics, Dictionary<string, PlacementResult>? placements) : ICapacity
{
    public FreeCapacityIndex Index => index;

    public int FreeCount => index.FreeCount();

    public bool IsFree(string deviceId) => index.IsFree(deviceId);

    public int DeviceCount => index.Topology.Devices.Count;

    public (int Ordinal, bool Free) Locate(string deviceId) => index.Locate(deviceId);

    public CapacityPlacement TryPlace(PlacementDemand demand)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = RankPlacer.Place(index, new GangRequest(demand.Layout, demand.GpuType, demand.AvoidDevices));
        metrics?.PlacementSeconds.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!result.Succeeded) return CapacityPlacement.Failed(result.FailureReason!);
        var ids = result.DeviceIds.ToList();
        if (placements is not null) placements[Key(ids)] = result;
        return CapacityPlacement.Placed(ids);
    }

    public string? WhyNotPlaced(PlacementDemand demand)
    {
        var request = new GangRequest(demand.Layout, demand.GpuType, demand.AvoidDevices);

        // A failed placement stops before choosing devices, so asking for it is as cheap as asking whether it fits.
        return RankPlacer.Fits(index, request) ? null : RankPlacer.Place(index, request).FailureReason;
    }

    public void MarkBusy(IEnumerable<string> deviceIds) => index.MarkBusy(deviceIds);

    public void MarkFree(IEnumerable<string> deviceIds) => index.MarkFree(deviceIds);

    public ICapacity Clone() => new IndexCapacity(index.Clone(), null, placements);

    /// <summary>The key a placement is remembered under: its devices in rank order.</summary>
    public static string Key(IEnumerable<string> deviceIds) => string.Join(',', deviceIds);
}
