using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's <c>BasicReferenceMetric.evaluate_references</c> (metrics/basic_metrics.py) for the separate multiple-choice
/// adapters: each reference gets a score — for <c>original</c> its log-probability divided by its token count, for
/// <c>calibrated</c> its log-probability minus its log-probability after the bare prompt "Answer:" — then
/// <c>max_prob</c> = max softmax(scores), <c>exact_match</c> = share of correct references among the arg-max ties,
/// <c>predicted_index</c> = first arg-max.
/// </summary>
public static class MultipleChoiceScoring
{
    /// <summary>The summed log-probability of the last <paramref name="referenceTokenCount"/> tokens of an echoed completion.</summary>
    /// <param name="tokens">Echoed prompt tokens ending with the reference.</param>
    /// <param name="referenceTokenCount">Token count of <c>" " + reference</c> (HELM prepends the space).</param>
    public static double ReferenceLogProbability(IReadOnlyList<ScoredToken> tokens, int referenceTokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceTokenCount);
        return tokens.Skip(Math.Max(0, tokens.Count - referenceTokenCount)).Sum(t => t.LogProbability);
    }

    /// <summary>Scores for <c>multiple_choice_separate_original</c>: log-probability per token.</summary>
    public static IReadOnlyList<double> OriginalScores(IReadOnlyList<(double LogProbability, int Tokens)> references) =>
        references.Select(r => r.Tokens > 0
            ? r.LogProbability / r.Tokens
            : throw new ArgumentException("a reference must have at least one token")).ToList();

    /// <summary>Scores for <c>multiple_choice_separate_calibrated</c>: original minus calibration log-probability.</summary>
    public static IReadOnlyList<double> CalibratedScores(IReadOnlyList<double> original, IReadOnlyList<double> calibration) =>
        original.Count == calibration.Count
            ? original.Zip(calibration, (o, c) => o - c).ToList()
            : throw new ArgumentException("original and calibration need one log-probability per reference");

    /// <summary>The stats <c>max_prob</c>, <c>exact_match</c>, <c>predicted_index</c> from reference scores.</summary>
    public static IReadOnlyList<Stat> Evaluate(IReadOnlyList<double> scores, IReadOnlyList<int> correctIndices)
    {
        if (scores.Count == 0)
        {
            throw new ArgumentException("at least one reference score is needed", nameof(scores));
        }

        var max = scores.Max();
        var sumExp = scores.Sum(s => Math.Exp(s - max));
        var argmax = Enumerable.Range(0, scores.Count).Where(i => scores[i] >= max).ToList();
        var exact = (double)argmax.Count(correctIndices.Contains) / argmax.Count;
        return
        [
            Stat.Of(new MetricName("max_prob"), 1.0 / sumExp),
            Stat.Of(new MetricName("exact_match"), exact),
            Stat.Of(new MetricName("predicted_index"), argmax[0]),
        ];
    }
}
