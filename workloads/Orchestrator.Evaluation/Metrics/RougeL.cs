using System.Text.RegularExpressions;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's <c>rouge_l</c>: Google's <c>rouge_score</c> <c>RougeScorer(["rougeL"], use_stemmer=True)</c>, F-measure.
/// Tokens: lower-case, every run of characters other than <c>[a-z0-9]</c> separates, words longer than 3 letters
/// Porter-stemmed. With L the longest common subsequence of gold and prediction tokens, P = L/|pred|, R = L/|gold|,
/// F = 2PR/(P+R); 0 when either side has no tokens or nothing matches.
/// </summary>
public static partial class RougeL
{
    /// <summary>The ROUGE-L F-measure of a prediction against a gold text.</summary>
    public static double FMeasure(string gold, string pred)
    {
        var target = Tokenize(gold);
        var prediction = Tokenize(pred);
        if (target.Count == 0 || prediction.Count == 0)
        {
            return 0;
        }

        var lcs = LongestCommonSubsequence(target, prediction);
        if (lcs == 0)
        {
            return 0;
        }

        var precision = (double)lcs / prediction.Count;
        var recall = (double)lcs / target.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>rouge_score's default tokenizer with stemming.</summary>
    internal static IReadOnlyList<string> Tokenize(string text) =>
        NonAlphanumeric().Replace(text.ToLowerInvariant(), " ")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.Length > 3 ? PorterStemmer.Stem(token) : token)
            .ToList();

    private static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
