using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>A job the scheduler knows: waiting (with why) or running (with its devices).</summary>
/// <param name="JobId">The job.</param>
/// <param name="Name">Its name.</param>
/// <param name="Queue">Its queue.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Gpus">Devices it asks for (or holds).</param>
/// <param name="Running">True when it holds devices.</param>
/// <param name="Position">Place in the waiting order from 1; 0 for a running job.</param>
/// <param name="Reason">Why it waits (or what it runs on).</param>
/// <param name="EnqueuedAt">When it entered the queue.</param>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Queue,
    [property: Id(3)] int Priority,
    [property: Id(4)] int Gpus,
    [property: Id(5)] bool Running,
    [property: Id(6)] int Position,
    [property: Id(7)] string Reason,
    [property: Id(8)] DateTimeOffset EnqueuedAt);
