namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// The form a preemptor was planned in when its victims were stopped for it: its device count and type. The preemptor
/// starts in a later pass, once every victim has saved and released its devices; the scheduler grain and the simulator
/// hand that pass this plan (<see cref="WaitingJob.Planned"/>), and the pass then considers the job before every other
/// one and starts it no larger than planned and on the planned type. So the later start is the start the preemption
/// was admitted for: a reclaiming job, whose queue stays within its nominal quota at the planned size (Kueue's rule),
/// does not grow into borrowed quota, and the devices freed for it are not first taken by a job the policy orders ahead
/// of it (under fair share often the victim's own queue, which then borrows again and is reclaimed from again).
/// </summary>
/// <param name="Devices">The devices the preemptor was placed on when the preemption was planned.</param>
/// <param name="GpuType">Their device type; null when unknown (the start is then held to the count only).</param>
[GenerateSerializer, Immutable]
internal sealed record PlannedStart([property: Id(0)] int Devices, [property: Id(1)] string? GpuType)
{
    /// <summary>The job's demand as planned: on the planned type, offered at most the planned count (a fixed
    /// layout's count is its own).</summary>
    public JobDemand Restrict(JobDemand demand)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var typed = GpuType is null || demand.GpuType is not null ? demand : demand.OfType(GpuType);
        return typed.CappedAt(Devices);
    }
}
