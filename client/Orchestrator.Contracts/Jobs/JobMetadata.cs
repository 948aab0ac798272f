namespace Orchestrator.Contracts.Jobs;

/// <summary>Who the job is and where it queues.</summary>
/// <param name="Name">DNS-label style name (lower case letters, digits, '-'), at most 53 characters.</param>
/// <param name="Queue">The queue it waits in; <c>default</c> when not given.</param>
/// <param name="Priority">Higher runs first and may preempt lower; 0 when not given.</param>
/// <param name="PriorityClass">A <c>kind: PriorityClass</c> document's name; the control plane sets
/// <paramref name="Priority"/> to its value at submission. Null when not given.</param>
[GenerateSerializer, Immutable]
public sealed record JobMetadata(
    [property: Id(0)] string Name,
    [property: Id(1)] string Queue = "default",
    [property: Id(2)] int Priority = 0,
    [property: Id(3)] string? PriorityClass = null);
