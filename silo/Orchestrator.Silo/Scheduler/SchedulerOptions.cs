namespace Orchestrator.Silo.Scheduler;

/// <summary>Scheduler settings (section <c>Orchestrator:Scheduler</c>).</summary>
internal sealed class SchedulerOptions
{
    /// <summary>How often a pass runs while jobs wait (passes also run on every submit and release).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How <c>resources.gpuFraction</c> jobs are packed onto shared devices (Fgd, BestFit, FirstFit, Random, DotProduct).</summary>
    public Scheduling.Sharing.SharePolicyKind GpuSharingPolicy { get; set; } = Scheduling.Sharing.SharePolicyKind.Fgd;
}
