namespace Orchestrator.Silo.Durability;

/// <summary>How jobs come back after a crash and how long their records are kept (section <c>Orchestrator:Durability</c>).</summary>
internal sealed class DurabilityOptions
{
    /// <summary>
    /// Period of each unfinished job's persistent reminder, which activates its grain again after the silo hosting it
    /// died (or the embedded daemon restarted) even when nothing else calls it. Orleans' reminder service is also set
    /// to accept periods this short.
    /// </summary>
    public TimeSpan JobReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
