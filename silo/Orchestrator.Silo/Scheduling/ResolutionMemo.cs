using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Within one pass, remembers how fixed-layout demands resolved against one capacity while it is unchanged: placement
/// is a pure function of the capacity, the layout, the GPU type and what is avoided, so a long queue of jobs with a
/// few shapes costs a few searches instead of one each. Jobs with avoid lists of their own, and automatic layouts
/// (whose chooser is per job), are not remembered. <see cref="Forget"/> when the capacity changes.
/// </summary>
internal sealed class ResolutionMemo
{
    private readonly Dictionary<(ParallelLayout Layout, string? GpuType, IReadOnlySet<string>? Avoid), DemandResolution> _known = [];

    public DemandResolution Resolve(WaitingJob job, IReadOnlySet<string>? extraAvoid, Func<DemandResolution> resolve)
    {
        if (job.Demand.Layout is not { } layout || job.AvoidDevices is { Count: > 0 } || job.PreferToAvoid is { Count: > 0 })
        {
            return resolve();
        }

        // A success carries the job's own runtime estimate; only failures are the same for every job of a shape.
        var key = (layout, job.Demand.GpuType, extraAvoid);
        if (_known.TryGetValue(key, out var known))
        {
            return known;
        }

        var resolution = resolve();
        if (!resolution.Succeeded)
        {
            _known[key] = resolution;
        }

        return resolution;
    }

    public void Forget() => _known.Clear();
}
