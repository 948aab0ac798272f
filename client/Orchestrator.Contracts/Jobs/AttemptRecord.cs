namespace Orchestrator.Contracts.Jobs;

/// <summary>One launch of a plan. Attempt numbers start at 1 and fence workers of older attempts.</summary>
/// <param name="Number">Attempt number.</param>
/// <param name="Plan">The layout it ran.</param>
/// <param name="Ranks">Rank to device placement.</param>
/// <param name="StartedAt">When it was placed.</param>
/// <param name="EndedAt">When it ended, or null while running.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it ended, in words.</param>
/// <param name="StartStep">The step it resumed from (0 for a fresh start).</param>
/// <param name="LastStep">The last step it reported.</param>
[GenerateSerializer, Immutable]
public sealed record AttemptRecord(
    [property: Id(0)] int Number,
    [property: Id(1)] JobPlan Plan,
    [property: Id(2)] IReadOnlyList<PlacedRank> Ranks,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset? EndedAt,
    [property: Id(5)] AttemptOutcome Outcome,
    [property: Id(6)] string? Reason,
    [property: Id(7)] long StartStep,
    [property: Id(8)] long LastStep)
{
    /// <summary>The distinct nodes the attempt runs on: one worker each.</summary>
    public IReadOnlyList<string> Nodes => Ranks.Select(r => r.Node).Distinct().ToList();
}
