namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// One line of a job listing; <c>Owner</c> is the submitting user (null when authentication is off); <c>Held</c> says why
/// an unfinished job is not in the scheduler's queue (suspended, waiting for its dependencies), null otherwise.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Queue,
    [property: Id(3)] int Priority,
    [property: Id(4)] JobState State,
    [property: Id(5)] int Gpus,
    [property: Id(6)] long Step,
    [property: Id(7)] long TotalSteps,
    [property: Id(8)] double? Loss,
    [property: Id(9)] DateTimeOffset SubmittedAt,
    [property: Id(10)] string? Owner = null,
    [property: Id(20)] string? Held = null);
