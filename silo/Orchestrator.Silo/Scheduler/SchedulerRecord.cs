using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>The persisted state of the scheduler: what waits, what holds devices, and devices out of service.</summary>
[GenerateSerializer]
internal sealed class SchedulerRecord
{
    /// <summary>Waiting jobs by id, with the order they entered.</summary>
    [Id(0)] public Dictionary<string, WaitingRecord> Waiting { get; set; } = [];

    /// <summary>Jobs holding devices.</summary>
    [Id(1)] public Dictionary<string, AllocationRecord> Allocations { get; set; } = [];

    /// <summary>Devices whose health is not Healthy.</summary>
    [Id(2)] public Dictionary<string, GpuHealth> Health { get; set; } = [];

    [Id(3)] public long NextSequence { get; set; } = 1;

    /// <summary>
    /// Jobs that preempted others and wait for them to stop (each victim saves a checkpoint first), with the victims
    /// still holding their devices. A draining victim is not preempted again, and its preemptor is not placed until
    /// the last of its victims has released its devices.
    /// </summary>
    [Id(4)] public Dictionary<string, List<string>> Draining { get; set; } = [];

    /// <summary>When each preemptor in <see cref="Draining"/> began to wait (for <see cref="SchedulerOptions.PreemptionTimeout"/>).</summary>
    [Id(20)] public Dictionary<string, DateTimeOffset> DrainingSince { get; set; } = [];

    /// <summary>The size and device type each preemptor was planned at (kept from its preemption until it starts): once
    /// its victims are gone it starts first and no larger (see <see cref="Scheduling.PlannedStart"/>).</summary>
    [Id(21)] public Dictionary<string, Scheduling.PlannedStart> Planned { get; set; } = [];
}
