namespace Orchestrator.Contracts.Jobs;

/// <summary>The optimizer and its learning rate.</summary>
/// <param name="Name"><c>adamw</c> or <c>sgd</c>.</param>
/// <param name="LearningRate">Peak learning rate, greater than 0.</param>
[GenerateSerializer, Immutable]
public sealed record OptimizerSpec(
    [property: Id(0)] string Name = "adamw",
    [property: Id(1)] double LearningRate = 3e-4);
