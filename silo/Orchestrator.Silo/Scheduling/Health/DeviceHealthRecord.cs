using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Scheduling.Health;

/// <summary>The persisted health of one device.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Condition">What its faults say: healthy, suspect or failed (never draining).</param>
/// <param name="Draining">Whether an operator drained it; independent of its faults.</param>
/// <param name="Faults">Times of the faults that currently count against it, oldest first.</param>
/// <param name="Since">When <paramref name="Condition"/> last changed.</param>
[GenerateSerializer, Immutable]
internal sealed record DeviceHealthRecord(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] GpuHealth Condition,
    [property: Id(2)] bool Draining,
    [property: Id(3)] IReadOnlyList<DateTimeOffset> Faults,
    [property: Id(4)] DateTimeOffset Since)
{
    /// <summary>What placement and operators see: failed over draining over the fault condition.</summary>
    public GpuHealth Effective => Condition == GpuHealth.Failed ? GpuHealth.Failed : Draining ? GpuHealth.Draining : Condition;
}
