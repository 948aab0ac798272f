namespace Orchestrator.Silo.Scheduling;

/// <summary>One outcome of a scheduling pass for one job. The grain applies a pass's decisions in order.</summary>
/// <param name="JobId">The job the decision is about.</param>
internal abstract record SchedulingDecision(string JobId);
