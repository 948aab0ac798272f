namespace Orchestrator.Contracts.Evaluation;

/// <summary>One aggregated stat of a run (the mean of HELM's <c>stats.json</c> entry).</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Metric">HELM's metric name.</param>
/// <param name="Split">The split (<c>test</c>, <c>valid</c>).</param>
/// <param name="Perturbation">The perturbation name (with <c>computed_on</c> when not the perturbed copy), or null.</param>
/// <param name="Mean">The mean.</param>
/// <param name="Count">Values behind the mean (train trials).</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationScore(
    [property: Id(0)] string Scenario,
    [property: Id(1)] string Metric,
    [property: Id(2)] string? Split,
    [property: Id(3)] string? Perturbation,
    [property: Id(4)] double Mean,
    [property: Id(5)] int Count);
