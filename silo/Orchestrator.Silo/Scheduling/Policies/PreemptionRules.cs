using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// Which running jobs a blocked job may stop, by its priority class's preemption policy. Without quotas,
/// <see cref="PreemptionPolicy.LowerPriority"/> stops strictly lower priorities anywhere (as before queues had quotas).
/// With quotas a victim is either of the preemptor's own queue, or a job of another queue of its cohort that runs on
/// borrowed quota while the preemptor's queue stays within its nominal quota (reclaiming what it lent):
/// <list type="table">
/// <item><term>Never</term><description>nothing.</description></item>
/// <item><term>LowerPriority</term><description>lower priority in its own queue; lower-priority borrowers of its
/// cohort; under fair share, borrowers of any priority.</description></item>
/// <item><term>ReclaimBorrowed</term><description>borrowers of its cohort of any priority; never for priority alone.</description></item>
/// </list>
/// </summary>
internal static class PreemptionRules
{
    /// <param name="job">The blocked job (of one device type when quotas apply).</param>
    /// <param name="victim">A running job.</param>
    /// <param name="policy">The pass's policy.</param>
    /// <param name="ledger">Usage now; null without quotas and fair share.</param>
    public static bool MayPreempt(WaitingJob job, RunningJob victim, SchedulingPolicyKind policy, QuotaLedger? ledger)
    {
        if (!victim.Preemptible) return false;
        var lower = victim.Priority < job.Priority;
        if (ledger?.Book is null)
            return job.Preemption == PreemptionPolicy.LowerPriority && lower;

        return job.Preemption switch
        {
            PreemptionPolicy.LowerPriority => (lower && victim.Queue == job.Queue)
                || (Reclaims(job, victim, ledger) && (lower || policy == SchedulingPolicyKind.FairShare)),
            PreemptionPolicy.ReclaimBorrowed => Reclaims(job, victim, ledger),
            _ => false,
        };
    }

    /// <summary>Whether the victim borrows quota of the job's type in the job's cohort, and the job's queue would
    /// still be within its nominal quota with the job started.</summary>
    private static bool Reclaims(WaitingJob job, RunningJob victim, QuotaLedger ledger)
    {
        var book = ledger.Book!;
        var type = job.Demand.GpuType;
        return type is not null && victim.GpuType is not null
            && victim.Queue != job.Queue
            && string.Equals(type, victim.GpuType, StringComparison.OrdinalIgnoreCase)
            && book.SameCohort(job.Queue, victim.Queue)
            && ledger.IsBorrowing(victim.Queue, type)
            && ledger.StaysWithinNominal(job.Queue, type, job.Demand.MinMilli);
    }
}
