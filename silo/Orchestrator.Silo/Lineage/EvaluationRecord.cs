using Orchestrator.Contracts.Evaluation;

namespace Orchestrator.Silo.Lineage;

/// <summary>An evaluation of a model version: the run (job) and the scores it reported.</summary>
/// <param name="Version">The version evaluated, <c>NAME@N</c>.</param>
/// <param name="Job">The evaluation's run id.</param>
/// <param name="Scores">Metric name to score.</param>
/// <param name="RecordedAt">When the scores were recorded: the newest per metric is the version's latest.</param>
/// <param name="Spec">The evaluation run's spec (what a cascade re-runs against the version's replacement); null when it was recorded from outside.</param>
[GenerateSerializer, Immutable]
internal sealed record EvaluationRecord(
    [property: Id(0)] string Version,
    [property: Id(1)] string Job,
    [property: Id(2)] IReadOnlyDictionary<string, double> Scores,
    [property: Id(3)] DateTimeOffset RecordedAt,
    [property: Id(5)] EvaluationJobSpec? Spec = null);
