namespace Orchestrator.Contracts.Scheduling;

/// <summary>Queue and priority-class documents: what <c>orch apply</c> sends, and what the control plane holds.</summary>
/// <param name="Queues">Queue documents, by name.</param>
/// <param name="PriorityClasses">Priority-class documents, by name.</param>
[GenerateSerializer, Immutable]
public sealed record SchedulingDocuments(
    [property: Id(0)] IReadOnlyList<QueueSpec> Queues,
    [property: Id(1)] IReadOnlyList<PriorityClassSpec> PriorityClasses)
{
    /// <summary>No documents: queues are plain labels and priorities plain numbers (the behaviour before any apply).</summary>
    public static SchedulingDocuments Empty { get; } = new([], []);
}
