namespace Orchestrator.Contracts.Jobs;

/// <summary>When to checkpoint and how many to keep. <c>every</c> is <c>auto</c>, a number of steps, or a time.</summary>
/// <param name="EverySteps">Checkpoint every this many steps; null with <paramref name="EverySeconds"/> null means <c>auto</c> (Young/Daly interval).</param>
/// <param name="Keep">Newest checkpoints kept.</param>
/// <param name="EverySeconds">Checkpoint at the first step boundary after this much time; null unless <c>every</c> was a time (<c>90s</c>, <c>30m</c>, <c>2h</c>).</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointSpec(
    [property: Id(0)] int? EverySteps = null,
    [property: Id(1)] int Keep = 3,
    [property: Id(2)] double? EverySeconds = null)
{
    /// <summary>True when the interval is the Young/Daly optimum.</summary>
    public bool IsAuto => EverySteps is null && EverySeconds is null;
}
