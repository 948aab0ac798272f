namespace Orchestrator.Contracts.Scheduling;

/// <summary>What a job of a priority class may stop to make room for itself (<c>preemptionPolicy</c>).</summary>
public enum PreemptionPolicy
{
    /// <summary>It never stops another job; it waits for free devices.</summary>
    Never = 0,

    /// <summary>It may stop running jobs of strictly lower priority (the default; today's behaviour).</summary>
    LowerPriority = 1,

    /// <summary>
    /// It may stop only jobs of other queues in its cohort that run on borrowed quota, whatever their priority, and
    /// only to bring its own queue back up to (not beyond) its nominal quota.
    /// </summary>
    ReclaimBorrowed = 2,
}
