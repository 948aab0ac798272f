namespace Orchestrator.Contracts.Jobs;

/// <summary>Everything a user can see of a job.</summary>
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
    [property: Id(8)] string? Message)
{
    /// <summary>The attempt in force, if any.</summary>
    public AttemptRecord? CurrentAttempt => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>True in Succeeded, Failed or Cancelled.</summary>
    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
