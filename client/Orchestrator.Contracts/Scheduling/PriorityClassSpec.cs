namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// A <c>kind: PriorityClass</c> document: a named priority a job chooses with <c>metadata.priorityClass</c> instead of
/// a number (Kubernetes' PriorityClass), and what a job of the class may preempt.
/// </summary>
/// <param name="Name">Class name (same rule as queue names).</param>
/// <param name="Value">The priority it stands for: higher runs first.</param>
/// <param name="PreemptionPolicy">What its jobs may stop to make room.</param>
/// <param name="Description">Free text for people; optional.</param>
[GenerateSerializer, Immutable]
public sealed record PriorityClassSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int Value,
    [property: Id(2)] PreemptionPolicy PreemptionPolicy = PreemptionPolicy.LowerPriority,
    [property: Id(3)] string? Description = null)
{
    /// <summary>The document kind.</summary>
    public const string Kind = "PriorityClass";
}
