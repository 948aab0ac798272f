namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>How a scheduling pass orders waiting jobs and picks device types (one per cluster).</summary>
internal enum SchedulingPolicyKind
{
    /// <summary><c>priority-fifo-backfill</c>: priority, then submit order, EASY backfill (the default).</summary>
    PriorityFifoBackfill = 0,

    /// <summary><c>fair-share</c>: queues in order of weighted dominant share (DRF over device types), preemption to
    /// reclaim borrowed quota.</summary>
    FairShare = 1,

    /// <summary><c>heterogeneity-aware</c>: like the default, but a job that may run on several device types gets the
    /// one where its predicted throughput is best relative to the other waiting jobs (Gavel).</summary>
    HeterogeneityAware = 2,
}
