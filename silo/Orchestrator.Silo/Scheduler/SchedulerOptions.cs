namespace Orchestrator.Silo.Scheduler;

/// <summary>Scheduler settings (section <c>Orchestrator:Scheduler</c>).</summary>
internal sealed class SchedulerOptions
{
    /// <summary>How often a pass runs while jobs wait (passes also run on every submit and release).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The scheduling policy of the cluster (<c>Orchestrator:Scheduler:Policy</c>): <c>priority-fifo-backfill</c>
    /// (default), <c>fair-share</c> or <c>heterogeneity-aware</c>.
    /// </summary>
    public string Policy { get; set; } = "priority-fifo-backfill";

    /// <summary>
    /// How long a preemptor waits for its victims to checkpoint and release their devices; then the scheduler takes the
    /// devices back and stops the victims' attempts (a victim that cannot be heard from would otherwise block it forever).
    /// </summary>
    public TimeSpan PreemptionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How <c>resources.gpuFraction</c> jobs are packed onto shared devices (Fgd, BestFit, FirstFit, Random, DotProduct).</summary>
    public Scheduling.Sharing.SharePolicyKind GpuSharingPolicy { get; set; } = Scheduling.Sharing.SharePolicyKind.Fgd;
}
