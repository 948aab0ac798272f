using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>Start the job now on these devices (every rank placed). Follows the preemptions it needs, if any.</summary>
/// <param name="JobId">The job to start.</param>
/// <param name="Layout">The layout to run (chosen by the planner for an automatic job).</param>
/// <param name="DeviceIds">Device of each rank, rank 0 first.</param>
/// <param name="EstimatedRuntime">How long it is expected to hold them, or null when unknown.</param>
/// <param name="Backfilled">True when it started around a blocked head job.</param>
/// <param name="PreemptedJobIds">Running jobs stopped to make room for it (already listed as <see cref="PreemptDecision"/>s).</param>
internal sealed record StartDecision(
    string JobId,
    ParallelLayout Layout,
    IReadOnlyList<string> DeviceIds,
    TimeSpan? EstimatedRuntime,
    bool Backfilled,
    IReadOnlyList<string> PreemptedJobIds) : SchedulingDecision(JobId);
