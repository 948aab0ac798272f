using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>Devices held by a job.</summary>
[GenerateSerializer, Immutable]
internal sealed record AllocationRecord(
    [property: Id(0)] QueuedJob Job,
    [property: Id(1)] IReadOnlyList<string> DeviceIds,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? ExpectedEnd);
