namespace Orchestrator.Simulation.Scenarios;

/// <summary>The scheduling pass's switches (the silo's <c>SchedulingOptions</c>).</summary>
internal sealed record SchedulerScenario(bool Backfill = true, bool Preemption = true, int MaxBackfillCandidates = 256);
