namespace Orchestrator.Contracts.Jobs;

/// <summary>What changed since a watcher last asked: new events and the latest progress.</summary>
/// <param name="Events">Events with a sequence greater than the one asked for, in order.</param>
/// <param name="Progress">Latest progress, or null before the first step.</param>
/// <param name="State">Current state.</param>
[GenerateSerializer, Immutable]
public sealed record JobUpdates(
    [property: Id(0)] IReadOnlyList<JobEvent> Events,
    [property: Id(1)] JobProgress? Progress,
    [property: Id(2)] JobState State);
