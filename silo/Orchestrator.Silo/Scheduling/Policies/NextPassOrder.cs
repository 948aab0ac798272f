namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// The order the next pass would try waiting jobs in, for <c>orch queue</c>'s position column: <see cref="JobOrder"/>
/// itself, drawn as a pass draws it, with each job charged to its queue as if it started (a pass charges a job when
/// it starts, and under fair share that moves its queue's dominant share before the next draw). A job that leaves its
/// device type open is charged to its queue's first type, the first a pass tries; a share of a device its fraction, as
/// <see cref="PassPolicy.Started"/> charges it. Without fair share this is priority, then submit order.
/// </summary>
internal static class NextPassOrder
{
    public static IReadOnlyList<WaitingJob> Of(SchedulingPolicyKind policy, IReadOnlyList<WaitingJob> waiting, QuotaBook? book, IEnumerable<RunningJob> running)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        var ledger = book is not null || policy == SchedulingPolicyKind.FairShare ? new QuotaLedger(book, running) : null;
        var order = new List<WaitingJob>(waiting.Count);
        foreach (var job in JobOrder.For(policy, waiting, ledger))
        {
            order.Add(job);
            ledger?.Charge(job.Queue, job.Demand.GpuType ?? book?.TypesOf(job.Queue).FirstOrDefault(),
                job.Demand.GpuMilli ?? (long)job.Demand.MaxDevices * Contracts.Jobs.GpuShareRules.Milli);
        }

        return order;
    }
}
