using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Simulation.Scenarios;

/// <summary>The scheduling pass's switches (the silo's <c>SchedulingOptions</c>) and the cluster's policy.</summary>
internal sealed record SchedulerScenario(
    bool Backfill = true,
    bool Preemption = true,
    int MaxBackfillCandidates = 256,
    SchedulingPolicyKind Policy = SchedulingPolicyKind.PriorityFifoBackfill);
