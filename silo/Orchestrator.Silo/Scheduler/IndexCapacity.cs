using Orchestrator.Planning.Placement;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduling policy's view of free capacity, backed by the planner's topology-aware index and rank placer.
/// Device ids of a placement come back in rank order.
/// </summary>
internal sealed class IndexCapacity(FreeCapacityIndex index, OrchestratorMetrics? metrics) : ICapacity
{
    public FreeCapacityIndex Index => index;

    public int FreeCount => index.FreeCount();

    public bool IsFree(string deviceId) => index.IsFree(deviceId);

    public CapacityPlacement TryPlace(PlacementDemand demand)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = RankPlacer.Place(index, new GangRequest(demand.Layout, demand.GpuType, demand.AvoidDevices));
        metrics?.PlacementSeconds.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result.Succeeded ? CapacityPlacement.Placed(result.DeviceIds.ToList()) : CapacityPlacement.Failed(result.FailureReason!);
    }

    public void MarkBusy(IEnumerable<string> deviceIds) => index.MarkBusy(deviceIds);

    public void MarkFree(IEnumerable<string> deviceIds) => index.MarkFree(deviceIds);

    public ICapacity Clone() => new IndexCapacity(index.Clone(), null);
}
