namespace Orchestrator.Contracts.Jobs;

/// <summary>Everything a user can see of a job.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Spec">What was submitted.</param>
/// <param name="State">Where it is in its lifecycle.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="FinishedAt">When it reached a terminal state, or null.</param>
/// <param name="Progress">The latest training progress, or null before the first step.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
/// <param name="Events">Its history.</param>
/// <param name="Message">Why it failed, when it did.</param>
/// <param name="Checkpoints">Checkpoints its workers committed, oldest first (the store may since have collected some; <c>orch checkpoints</c> lists what is stored).</param>
/// <param name="Goodput">Useful training time against wall time, and the work lost to failures.</param>
[GenerateSerializer, Immutable]
public sealed record JobView(
    [property: Id(0)] string Id,
    [property: Id(1)] TrainingJobSpec Spec,
    [property: Id(2)] JobState State,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] DateTimeOffset? FinishedAt,
    [property: Id(5)] JobProgress? Progress,
    [property: Id(6)] IReadOnlyList<AttemptRecord> Attempts,
    [property: Id(7)] IReadOnlyList<JobEvent> Events,
    [property: Id(8)] string? Message,
    [property: Id(9)] IReadOnlyList<CheckpointRecord>? Checkpoints = null,
    [property: Id(10)] JobGoodput? Goodput = null)
{
    /// <summary>The attempt in force, if any.</summary>
    public AttemptRecord? CurrentAttempt => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>True in Succeeded, Failed or Cancelled.</summary>
    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
