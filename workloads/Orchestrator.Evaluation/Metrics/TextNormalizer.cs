using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's <c>normalize_text</c> (metrics/evaluate_reference_metrics.py, from the QuAC scorer): lower-case, drop ASCII
/// punctuation (Python's <c>string.punctuation</c>), optionally replace the articles a/an/the by a space, then collapse
/// whitespace.
/// </summary>
public static partial class TextNormalizer
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Normalizes text the way HELM's quasi-exact match and F1 compare it.</summary>
    public static string Normalize(string text, bool removeArticles = true)
    {
        var lowered = text.ToLowerInvariant();
        var builder = new StringBuilder(lowered.Length);
        foreach (var ch in lowered)
        {
            if (!Punctuation.Contains(ch))
            {
                builder.Append(ch);
            }
        }

        var withoutPunctuation = builder.ToString();
        var result = removeArticles ? Articles().Replace(withoutPunctuation, " ") : withoutPunctuation;
        return string.Join(' ', SplitWhitespace(result));
    }

    /// <summary>Python's <c>str.split()</c>: runs of whitespace separate, no empty pieces.</summary>
    public static string[] SplitWhitespace(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
