namespace Orchestrator.Silo.Scheduling;

/// <summary>A job holding devices (placed, starting or running) as one scheduling pass sees it.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Priority">Its priority; only strictly lower priorities can be preempted.</param>
/// <param name="DeviceIds">The devices it holds.</param>
/// <param name="StartedAt">When it got them; among equal priorities the most recent is preempted first.</param>
/// <param name="ExpectedEnd">When it is expected to release them, or null when unknown.</param>
/// <param name="Preemptible">False to exempt it from preemption whatever its priority.</param>
/// <param name="Queue">The queue whose quota it uses.</param>
/// <param name="GpuType">The device type it holds; required when the pass has a <see cref="Policies.QuotaBook"/>.</param>
/// <param name="ChargedMilli">Thousandths of each held device charged to its queue: a whole device for an exclusive
/// job, its fraction for a GPU share, 0 for a shared device's stand-in (<see cref="Sharing.SharedDevices.Holder"/>:
/// its tenants are charged one by one).</param>
internal sealed record RunningJob(
    string JobId,
    int Priority,
    IReadOnlyList<string> DeviceIds,
    DateTimeOffset StartedAt,
    DateTimeOffset? ExpectedEnd,
    bool Preemptible = true,
    string Queue = "default",
    string? GpuType = null,
    int ChargedMilli = Contracts.Jobs.GpuShareRules.Milli)
{
    /// <summary>Thousandths of devices its queue is charged for it.</summary>
    public long QuotaMilli => (long)DeviceIds.Count * ChargedMilli;
}
