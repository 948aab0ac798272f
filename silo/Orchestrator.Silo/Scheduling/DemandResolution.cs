using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>A job's demand turned into a layout and devices on some capacity, or why it could not be.</summary>
internal sealed record DemandResolution(
    ParallelLayout? Layout,
    IReadOnlyList<string> DeviceIds,
    TimeSpan? EstimatedRuntime,
    string? FailureReason)
{
    public bool Succeeded => FailureReason is null;

    public static DemandResolution Failed(string reason) => new(null, [], null, reason);
}
