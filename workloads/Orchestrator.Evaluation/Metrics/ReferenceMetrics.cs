namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// The reference-matching scores of HELM's metrics/evaluate_reference_metrics.py, each <c>score(gold, pred)</c>, and
/// HELM's rule for an instance: the score is the maximum over correct references of <c>score(gold, first prediction)</c>,
/// where predictions are the completions sorted by log-probability (highest first), stripped, and for
/// <c>multiple_choice_joint</c> mapped from the letter to the reference text.
/// </summary>
public static class ReferenceMetrics
{
    /// <summary>Names this class computes, as HELM spells them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["exact_match", "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match", "f1_score", "rouge_l", "bleu_4"];

    /// <summary>1 when gold and prediction are equal after trimming; 0 for an empty prediction.</summary>
    public static double ExactMatch(string gold, string? pred) =>
        string.IsNullOrEmpty(pred) ? 0 : gold.Trim() == pred.Trim() ? 1 : 0;

    /// <summary>1 when gold and prediction are equal after <see cref="TextNormalizer.Normalize"/>.</summary>
    public static double QuasiExactMatch(string gold, string? pred) =>
        string.IsNullOrEmpty(pred) ? 0 : TextNormalizer.Normalize(gold) == TextNormalizer.Normalize(pred) ? 1 : 0;

    /// <summary>1 when the trimmed prediction starts with the trimmed gold.</summary>
    public static double PrefixExactMatch(string gold, string? pred) =>
        string.IsNullOrEmpty(pred) ? 0 : pred.Trim().StartsWith(gold.Trim(), StringComparison.Ordinal) ? 1 : 0;

    /// <summary>1 when the normalized prediction starts with the normalized gold.</summary>
    public static double QuasiPrefixExactMatch(string gold, string? pred) =>
        string.IsNullOrEmpty(pred)
            ? 0
            : TextNormalizer.Normalize(pred).StartsWith(TextNormalizer.Normalize(gold), StringComparison.Ordinal) ? 1 : 0;

    /// <summary>
    /// HELM's <c>f1_score</c>: NLTK's <c>f_measure</c> over the SETS of normalized words (so repeats count once);
    /// 0 when either side is empty after normalizing.
    /// </summary>
    public static double F1(string gold, string? pred)
    {
        var goldWords = TextNormalizer.SplitWhitespace(TextNormalizer.Normalize(gold)).ToHashSet(StringComparer.Ordinal);
        var predWords = TextNormalizer.SplitWhitespace(TextNormalizer.Normalize(pred ?? "")).ToHashSet(StringComparer.Ordinal);
        if (goldWords.Count == 0 || predWords.Count == 0)
        {
            return 0;
        }

        var common = goldWords.Count(predWords.Contains);
        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / predWords.Count;
        var recall = (double)common / goldWords.Count;
        return 1.0 / (0.5 / precision + 0.5 / recall);
    }

    /// <summary>The score function of a metric name in <see cref="Names"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static Func<string, string?, double> ScoreFunction(string metric) => metric switch
    {
        "exact_match" => ExactMatch,
        "quasi_exact_match" => QuasiExactMatch,
        "prefix_exact_match" => PrefixExactMatch,
        "quasi_prefix_exact_match" => QuasiPrefixExactMatch,
        "f1_score" => F1,
        "rouge_l" => (gold, pred) => RougeL.FMeasure(gold, pred ?? ""),
        "bleu_4" => (gold, pred) => Bleu4.Score(gold, pred ?? ""),
        _ => throw new ArgumentException(
            $"unknown reference metric '{metric}'; allowed: {string.Join(", ", Names)}", nameof(metric)),
    };

    /// <summary>
    /// The instance score: max over <paramref name="golds"/> of <c>score(gold, predictions[0])</c> after HELM's
    /// prediction preparation (sort by log-probability, strip, map through <paramref name="outputMapping"/>).
    /// Returns 0 when there are no predictions or no golds (HELM's max over an empty list is avoided this way).
    /// </summary>
    public static double Score(
        string metric,
        IReadOnlyList<string> golds,
        IReadOnlyList<Completion> completions,
        IReadOnlyDictionary<string, string>? outputMapping = null)
    {
        var score = ScoreFunction(metric);
        var first = completions
            .Select((c, i) => (c, i))
            .OrderByDescending(x => x.c.LogProbability)
            .ThenBy(x => x.i)
            .Select(x => x.c.Text.Trim())
            .FirstOrDefault();
        if (first is null || golds.Count == 0)
        {
            return 0;
        }

        var prediction = outputMapping is null ? first : outputMapping.GetValueOrDefault(first);
        return golds.Max(gold => score(gold, prediction));
    }
}
