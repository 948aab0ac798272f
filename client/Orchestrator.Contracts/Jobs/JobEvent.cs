namespace Orchestrator.Contracts.Jobs;

/// <summary>One entry of a job's history: a state transition or a notable happening, with time and reason.</summary>
/// <param name="Sequence">Position in the job's history, from 1; watchers ask for events after a sequence.</param>
/// <param name="Time">When it happened (UTC).</param>
/// <param name="From">State before.</param>
/// <param name="To">State after (equal to <see cref="From"/> for an event that is not a transition).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Attempt">The attempt it concerns, 0 when none.</param>
[GenerateSerializer, Immutable]
public sealed record JobEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] JobState From,
    [property: Id(3)] JobState To,
    [property: Id(4)] string Reason,
    [property: Id(5)] int Attempt);
