namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// The forms of a waiting job a pass may start, in order of preference. A job that names its device type has one. One
/// that leaves it open is tried on each type its queue has quota for, in the order the Queue document lists them
/// (Kueue's flavor assignment); under the heterogeneity-aware policy its predicted types come first, best Gavel
/// preference first, and without quotas it may then still run on any type. Under quotas an automatic job is offered
/// no more devices than its queue may start.
/// </summary>
internal sealed class DeviceTypeChoice(SchedulingPolicyKind policy, IReadOnlyList<WaitingJob> waiting)
{
    private readonly GavelPreference? _gavel = policy == SchedulingPolicyKind.HeterogeneityAware ? new GavelPreference(waiting) : null;

    public IReadOnlyList<WaitingJob> Variants(WaitingJob job, QuotaBook? book)
    {
        if (job.Demand.GpuType is not null) return [job];
        var preferred = _gavel is not null && GavelPreference.Applies(job) ? _gavel.Rank(job) : [];
        if (book is not null)
        {
            var quota = book.TypesOf(job.Queue);
            var types = preferred.Where(t => quota.Contains(t, StringComparer.OrdinalIgnoreCase))
                .Concat(quota.Where(t => !preferred.Contains(t, StringComparer.OrdinalIgnoreCase)));
            return types.Select(t => job with { Demand = job.Demand.OfType(t) }).ToList();
        }

        return preferred.Count == 0 ? [job] : [.. preferred.Select(t => job with { Demand = job.Demand.OfType(t) }), job];
    }
}
