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
}
