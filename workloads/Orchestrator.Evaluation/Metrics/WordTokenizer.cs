using System.Text.RegularExpressions;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// A simplified NLTK <c>word_tokenize</c> (Treebank rules), used by BLEU and the bias metrics as HELM uses NLTK there:
/// words (hyphenated kept whole), numbers with inner <c>.</c>/<c>,</c>, English clitics split off
/// (<c>don't</c> → <c>do n't</c>, <c>it's</c> → <c>it 's</c>) and every other symbol on its own. It differs from NLTK
/// on quotes (NLTK writes <c>``</c> and <c>''</c>), ellipses and URLs; see docs/evaluation.md.
/// </summary>
internal static partial class WordTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var split = Clitics().Replace(text, "$1 $2");
        return Token().Matches(split).Select(m => m.Value).ToList();
    }

    [GeneratedRegex(@"(\w)(n't|'s|'m|'d|'ll|'re|'ve)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Clitics();

    [GeneratedRegex(@"n't|'(?:s|m|d|ll|re|ve)\b|\d+(?:[.,]\d+)+|\w+(?:-\w+)*|[^\w\s]", RegexOptions.IgnoreCase)]
    private static partial Regex Token();
}
