using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>One checkpoint of a followed training job (<c>step: every</c>) and the run that evaluates it.</summary>
/// <param name="Step">The checkpoint's step.</param>
/// <param name="RunId">The evaluation run of that checkpoint.</param>
/// <param name="State">That run's state.</param>
/// <param name="Scores">Its scores once it succeeded (each scenario's main metric and its robustness worst case).</param>
/// <param name="Message">Why it failed or could not start, or null.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointEvaluation(
    [property: Id(0)] long Step,
    [property: Id(1)] string RunId,
    [property: Id(2)] JobState State,
    [property: Id(3)] IReadOnlyList<EvaluationScore> Scores,
    [property: Id(4)] string? Message = null);
