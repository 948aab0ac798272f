using System.Collections.Frozen;

namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Turns a job's demand into a layout and a gang placement on a capacity: a fixed layout is placed as is; an automatic
/// one asks the planner for the largest layout the usable devices allow and steps down to the job's minimum while
/// placement fails. Suspect devices and the devices a job prefers to avoid (where its last attempt failed) are a soft
/// avoid: tried without them first, then with them.
/// </summary>
internal sealed class DemandResolver(IReadOnlySet<string> suspectDevices)
{
    public DemandResolution Resolve(WaitingJob job, ICapacity capacity, IReadOnlySet<string>? extraAvoid = null) =>
        Resolve(job, capacity, extraAvoid, chooseDevices: true);

    /// <summary>
    /// Whether <paramref name="job"/> would resolve on <paramref name="capacity"/>: the same layout, success and failure
    /// reason as <see cref="Resolve(WaitingJob, ICapacity, IReadOnlySet{string}?)"/>, but no devices are chosen (a
    /// success lists none), which saves a search that only needs yes or no most of a placement's cost.
    /// </summary>
    public DemandResolution Fits(WaitingJob job, ICapacity capacity, IReadOnlySet<string>? extraAvoid = null) =>
        Resolve(job, capacity, extraAvoid, chooseDevices: false);

    private DemandResolution Resolve(WaitingJob job, ICapacity capacity, IReadOnlySet<string>? extraAvoid, bool chooseDevices)
    {
        var hardAvoid = Union(job.AvoidDevices, extraAvoid);
        var softAvoid = Union(job.PreferToAvoid, suspectDevices);
        if (softAvoid.Count > 0)
        {
            var withoutSuspects = ResolveAvoiding(job, capacity, Union(hardAvoid, softAvoid), chooseDevices);
            if (withoutSuspects.Succeeded)
            {
                return withoutSuspects;
            }
        }

        return ResolveAvoiding(job, capacity, hardAvoid, chooseDevices);
    }

    private static DemandResolution ResolveAvoiding(WaitingJob job, ICapacity capacity, IReadOnlySet<string> avoid, bool chooseDevices)
    {
        var demand = job.Demand;
        var usable = capacity.FreeCount - avoid.Count(capacity.IsFree);
        if (demand.Layout is { } layout)
        {
            if (usable < layout.WorldSize)
            {
                return DemandResolution.Failed($"needs {layout.WorldSize} devices, {usable} usable are free");
            }

            var placement = Place(capacity, new PlacementDemand(layout, demand.GpuType, avoid), chooseDevices);
            return placement.Succeeded
                ? new DemandResolution(layout, placement.DeviceIds, job.EstimatedRuntime, null)
                : DemandResolution.Failed(placement.FailureReason!);
        }

        // Automatic layout: ask for the most devices that could be had, and step below each layout that did not place.
        var offered = Math.Min(demand.MaxDevices, usable);
        var lastFailure = $"needs at least {demand.MinDevices} devices, {usable} usable are free";
        while (offered >= demand.MinDevices)
        {
            var choice = demand.Chooser!(offered);
            if (choice is null)
            {
                return DemandResolution.Failed($"the planner found no layout for {offered} or fewer devices (minimum {demand.MinDevices})");
            }

            var world = choice.Layout.WorldSize;
            if (world > offered || world < demand.MinDevices)
            {
                throw new InvalidOperationException(
                    $"job {job.JobId}: the layout chooser returned {choice.Layout} ({world} devices) when offered {offered}; " +
                    $"it must use between {demand.MinDevices} and {offered} devices");
            }

            var placement = Place(capacity, new PlacementDemand(choice.Layout, demand.GpuType, avoid), chooseDevices);
            if (placement.Succeeded)
            {
                return new DemandResolution(choice.Layout, placement.DeviceIds, choice.EstimatedRuntime, null);
            }

            lastFailure = placement.FailureReason!;
            offered = world - 1;
        }

        return DemandResolution.Failed(lastFailure);
    }

    /// <summary>The placement, or when devices are not to be chosen only whether there is one (a success then lists no devices).</summary>
    private static (bool Succeeded, IReadOnlyList<string> DeviceIds, string? FailureReason) Place(ICapacity capacity, PlacementDemand demand, bool chooseDevices)
    {
        if (chooseDevices)
        {
            var placement = capacity.TryPlace(demand);
            return (placement.Succeeded, placement.DeviceIds, placement.FailureReason);
        }

        var failure = capacity.WhyNotPlaced(demand);
        return (failure is null, [], failure);
    }

    private static IReadOnlySet<string> Union(IReadOnlySet<string>? first, IReadOnlySet<string>? second)
    {
        if (first is null || first.Count == 0)
        {
            return second ?? FrozenSet<string>.Empty;
        }

        if (second is null || second.Count == 0)
        {
            return first;
        }

        var union = new HashSet<string>(first, StringComparer.Ordinal);
        union.UnionWith(second);
        return union;
    }
}
