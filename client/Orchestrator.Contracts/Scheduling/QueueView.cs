namespace Orchestrator.Contracts.Scheduling;

/// <summary>The scheduler's queues: waiting jobs in the order they will be considered, then running ones.</summary>
/// <param name="Waiting">Waiting jobs, head first.</param>
/// <param name="Running">Jobs holding devices.</param>
/// <param name="FreeDevices">Devices free and healthy now.</param>
/// <param name="TotalDevices">Devices in the inventory.</param>
/// <param name="Queues">Per queue: quota, usage, borrowed and waiting; null from a scheduler that predates it.</param>
[GenerateSerializer, Immutable]
public sealed record QueueView(
    [property: Id(0)] IReadOnlyList<QueueEntry> Waiting,
    [property: Id(1)] IReadOnlyList<QueueEntry> Running,
    [property: Id(2)] int FreeDevices,
    [property: Id(3)] int TotalDevices,
    [property: Id(4)] IReadOnlyList<QueueUsage>? Queues = null);
