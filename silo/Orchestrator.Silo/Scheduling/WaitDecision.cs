namespace Orchestrator.Silo.Scheduling;

/// <summary>The job stays queued this pass.</summary>
/// <param name="JobId">The waiting job.</param>
/// <param name="Reason">The kind of reason.</param>
/// <param name="Detail">Human-readable detail (devices needed and free, the head job it waits behind, ...).</param>
internal sealed record WaitDecision(string JobId, WaitReason Reason, string Detail) : SchedulingDecision(JobId);
