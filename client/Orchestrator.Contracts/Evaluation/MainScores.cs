namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// The scores a run is summarised by (leaderboards, <c>orch job</c>): per scenario its main metric (the spec's first
/// reference metric it has, else exact match, else bits per byte) on the unperturbed instances and its robustness worst case.
/// </summary>
public static class MainScores
{
    /// <summary>The main scores of a run's <paramref name="scores"/>, in scenario order (absent ones left out).</summary>
    public static IReadOnlyList<EvaluationScore> Of(EvaluationJobSpec spec, IReadOnlyList<EvaluationScore> scores)
    {
        var main = new List<EvaluationScore>();
        foreach (var scenario in spec.Scenarios)
        {
            var mine = scores.Where(s => s.Scenario == scenario.Name).ToList();
            var metric = spec.Metrics.Append("exact_match").Append("bits_per_byte")
                .FirstOrDefault(m => mine.Any(s => s.Metric == m && s.Perturbation is null));
            if (metric is null) continue;
            main.AddRange(mine.Where(s => s.Metric == metric && s.Perturbation is null or "robustness").OrderBy(s => s.Perturbation is not null));
        }

        return main;
    }

    /// <summary>True for metrics where lower is better.</summary>
    public static bool LowerIsBetter(string metric) => metric is "bits_per_byte" or "perplexity";

    /// <summary>A column name for a score: <c>scenario:metric</c>, with the perturbation in brackets.</summary>
    public static string Label(EvaluationScore score) =>
        $"{score.Scenario}:{score.Metric}{(score.Perturbation is { } p ? $" ({p})" : "")}";
}
