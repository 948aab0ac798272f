namespace Orchestrator.Silo.Scheduling;

/// <summary>The running jobs to stop so that a job fits, and where it then goes.</summary>
internal sealed record PreemptionPlan(IReadOnlyList<RunningJob> Victims, DemandResolution Placement);
