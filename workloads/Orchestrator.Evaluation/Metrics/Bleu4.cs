namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's <c>bleu_4</c> (metrics/evaluate_reference_metrics.py): NLTK <c>sentence_bleu([word_tokenize(gold)],
/// word_tokenize(pred), weights=(0, 0, 0, 1))</c> with NLTK's default smoothing (<c>method0</c>, none). So the score is
/// the brevity penalty times the clipped 4-gram precision alone — not the geometric mean of 1- to 4-gram precisions.
/// NLTK returns 0 when no unigram matches; when no 4-gram matches, <c>method0</c> substitutes the smallest normal double
/// (2.2250738585072014e-308) for the precision, so the score is that tiny number times the brevity penalty.
/// </summary>
public static class Bleu4
{
    /// <summary>Python's <c>sys.float_info.min</c>, NLTK's stand-in for a zero precision.</summary>
    public const double ZeroPrecision = 2.2250738585072014E-308;

    /// <summary>The BLEU-4 score of a prediction against one gold text.</summary>
    public static double Score(string gold, string pred) =>
        Score(WordTokenizer.Tokenize(gold), WordTokenizer.Tokenize(pred));

    /// <summary>The BLEU-4 score over already tokenized texts.</summary>
    internal static double Score(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        var (unigramMatches, _) = ClippedPrecision(reference, hypothesis, 1);
        if (unigramMatches == 0)
        {
            return 0;
        }

        var (matches, total) = ClippedPrecision(reference, hypothesis, 4);
        var precision = matches == 0 ? ZeroPrecision : (double)matches / total;
        return BrevityPenalty(reference.Count, hypothesis.Count) * Math.Exp(Math.Log(precision));
    }

    private static double BrevityPenalty(int referenceLength, int hypothesisLength)
    {
        if (hypothesisLength > referenceLength)
        {
            return 1;
        }

        return hypothesisLength == 0 ? 0 : Math.Exp(1 - (double)referenceLength / hypothesisLength);
    }

    /// <summary>NLTK <c>modified_precision</c>: matches clipped by the reference counts; denominator at least 1.</summary>
    private static (int Matches, int Total) ClippedPrecision(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis, int n)
    {
        var referenceCounts = NGramCounts(reference, n);
        var hypothesisCounts = NGramCounts(hypothesis, n);
        var matches = hypothesisCounts.Sum(pair => Math.Min(pair.Value, referenceCounts.GetValueOrDefault(pair.Key)));
        return (matches, Math.Max(1, hypothesisCounts.Values.Sum()));
    }

    private static Dictionary<string, int> NGramCounts(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var key = string.Join('\u001f', tokens.Skip(i).Take(n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }
}
