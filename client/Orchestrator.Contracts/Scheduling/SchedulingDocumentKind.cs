namespace Orchestrator.Contracts.Scheduling;

/// <summary>The kinds of scheduling document the queue registry holds (the <c>kind</c> of an applied document).</summary>
public enum SchedulingDocumentKind
{
    /// <summary>A <c>kind: Queue</c> document: quotas, cohort, fair-share weight.</summary>
    Queue = 0,

    /// <summary>A <c>kind: PriorityClass</c> document: a priority value and a preemption policy.</summary>
    PriorityClass = 1,
}
