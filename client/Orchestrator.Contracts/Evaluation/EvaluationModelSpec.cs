namespace Orchestrator.Contracts.Evaluation;

/// <summary>The evaluated model: exactly one of a checkpoint, an endpoint or a registered model version.</summary>
/// <param name="Checkpoint">A training job's checkpoint, evaluated with the built-in GPT.</param>
/// <param name="Endpoint">An OpenAI-compatible HTTP endpoint.</param>
/// <param name="From">A model version of the lineage graph, <c>NAME@VERSION</c> (a number, a tag or <c>latest</c>), evaluated
/// from the checkpoint that holds it with the built-in GPT; the run is recorded in the graph as an evaluation of it.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationModelSpec(
    [property: Id(0)] CheckpointModelSpec? Checkpoint,
    [property: Id(1)] EndpointModelSpec? Endpoint,
    [property: Id(2)] string? From = null);
