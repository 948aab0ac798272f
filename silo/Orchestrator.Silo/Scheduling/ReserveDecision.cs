using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// The blocked head job's reservation: the earliest time enough devices free up, from running jobs' expected ends,
/// and the devices it expects then. Backfilled jobs never delay it.
/// </summary>
/// <param name="JobId">The head job.</param>
/// <param name="ExpectedStart">When it is expected to fit, or null when that depends on jobs without an estimate.</param>
/// <param name="Layout">The layout it is expected to run.</param>
/// <param name="DeviceIds">The devices held back for it.</param>
internal sealed record ReserveDecision(
    string JobId,
    DateTimeOffset? ExpectedStart,
    ParallelLayout Layout,
    IReadOnlyList<string> DeviceIds) : SchedulingDecision(JobId);
