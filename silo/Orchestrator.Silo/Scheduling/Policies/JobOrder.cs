namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>The order a pass considers waiting jobs in, by policy.</summary>
internal static class JobOrder
{
    /// <summary>
    /// Priority, then submit sequence, then id (today's order) for every policy but fair share. Under fair share the
    /// next job always comes from the queue with the smallest weighted dominant share in <paramref name="ledger"/> (ties
    /// by queue name), and within a queue by priority, then sequence. The sequence is lazy: each share is read when
    /// the next job is drawn, after the jobs before it started and were charged.
    /// A preemptor whose victims have released their devices (<see cref="WaitingJob.Planned"/>) comes before all of
    /// them: the devices were freed for it when its preemption was planned.
    /// </summary>
    public static IEnumerable<WaitingJob> For(SchedulingPolicyKind policy, IReadOnlyList<WaitingJob> waiting, QuotaLedger? ledger)
    {
        var ordered = waiting
            .OrderByDescending(j => j.Priority)
            .ThenBy(j => j.Sequence)
            .ThenBy(j => j.JobId, StringComparer.Ordinal);
        var list = ordered.ToList();
        var rest = list.Where(j => j.Planned is null);
        return list.Where(j => j.Planned is not null)
            .Concat(policy == SchedulingPolicyKind.FairShare && ledger is not null ? FairShare(rest, ledger) : rest);
    }

    private static IEnumerable<WaitingJob> FairShare(IEnumerable<WaitingJob> ordered, QuotaLedger ledger)
    {
        var queues = ordered.GroupBy(j => j.Queue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<WaitingJob>(g), StringComparer.Ordinal);
        while (queues.Count > 0)
        {
            var next = queues.Keys
                .OrderBy(ledger.WeightedDominantShare)
                .ThenBy(q => q, StringComparer.Ordinal)
                .First();
            var jobs = queues[next];
            yield return jobs.Dequeue();
            if (jobs.Count == 0) queues.Remove(next);
        }
    }
}
