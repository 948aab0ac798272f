namespace Orchestrator.Contracts.Evaluation;

/// <summary>The evaluated model: exactly one of a checkpoint or an endpoint.</summary>
/// <param name="Checkpoint">A training job's checkpoint, evaluated with the built-in GPT.</param>
/// <param name="Endpoint">An OpenAI-compatible HTTP endpoint.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationModelSpec(
    [property: Id(0)] CheckpointModelSpec? Checkpoint,
    [property: Id(1)] EndpointModelSpec? Endpoint);
