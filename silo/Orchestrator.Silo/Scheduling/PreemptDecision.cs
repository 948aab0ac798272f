namespace Orchestrator.Silo.Scheduling;

/// <summary>Stop a running job, release its devices and put it back in its queue, to make room for another.</summary>
/// <param name="JobId">The job to stop.</param>
/// <param name="ForJobId">The higher-priority job that needs its devices.</param>
/// <param name="Reason">Human-readable reason for the job's event log.</param>
internal sealed record PreemptDecision(string JobId, string ForJobId, string Reason) : SchedulingDecision(JobId);
