using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduling;

/// <summary>Everything one scheduling pass decides on. The pass never mutates any of it.</summary>
/// <param name="Waiting">Queued jobs, in any order (the pass orders them by priority, then sequence).</param>
/// <param name="Running">Jobs that hold devices.</param>
/// <param name="Capacity">The free devices now (failed and draining devices already left out).</param>
/// <param name="SuspectDevices">Devices to use only when a job fits nowhere else; null for none.</param>
/// <param name="Options">Switches and bounds; null for <see cref="SchedulingOptions.Default"/>.</param>
/// <param name="Queues">The queues' quotas; null when no Queue document is applied (queues are then labels only).</param>
/// <param name="Shares">Devices that may be shared by fractional jobs and what their tenants hold; null when the cluster
/// has no GPU sharing (a fractional job then waits).</param>
internal sealed record SchedulingInputs(
    IReadOnlyList<WaitingJob> Waiting,
    IReadOnlyList<RunningJob> Running,
    ICapacity Capacity,
    IReadOnlySet<string>? SuspectDevices = null,
    SchedulingOptions? Options = null,
    QuotaBook? Queues = null,
    Sharing.SharedDevices? Shares = null);
