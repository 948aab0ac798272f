namespace Orchestrator.Contracts.Jobs;

/// <summary>When to checkpoint and how many to keep.</summary>
/// <param name="EverySteps">Checkpoint every this many steps; null means <c>auto</c> (Young/Daly interval).</param>
/// <param name="Keep">Newest checkpoints kept.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointSpec(
    [property: Id(0)] int? EverySteps = null,
    [property: Id(1)] int Keep = 3);
