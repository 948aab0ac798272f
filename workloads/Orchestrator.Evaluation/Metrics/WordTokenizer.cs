using System.Text.RegularExpressions;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// NLTK's <c>word_tokenize</c>, which HELM's BLEU and bias metrics call: sentences first, then NLTK's improved Treebank
/// rules on each (quotes to <c>``</c>/<c>''</c>, sentence-final period, <c>, : ; @ # $ % &amp; ? ! *</c>, brackets,
/// <c>--</c>, ellipses and clitics such as <c>n't</c>, <c>'ll</c>, <c>'s</c> split off; hyphens, slashes and inner
/// periods kept). NLTK splits sentences with its trained Punkt model; this splits after <c>. ! ?</c> followed by space
/// and a capital, digit or quote, except after single initials and a short list of common abbreviations.
/// </summary>
internal static partial class WordTokenizer
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "mt",
        "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    };

    private static readonly (Regex Pattern, string Replacement)[] StartingQuotes =
    [
        (new(@"^"""), "``"),
        (new("(``)"), " $1 "),
        (new(@"([ \(\[{<])(""|'{2})"), "$1 `` "),
        (new(@"(?i)(')(?!re|ve|ll|m|t|s|d|n)(\w)\b"), "$1 $2"),
    ];

    private static readonly (Regex Pattern, string Replacement)[] Punctuation =
    [
        (new(@"([^\.])(\.)([\]\)}>""']*)\s*$"), "$1 $2 $3 "),
        (new(@"([:,])([^\d])"), " $1 $2"),
        (new(@"([:,])$"), " $1 "),
        (new(@"\.{2,}"), " $0 "),
        (new(@"[;@#$%&]"), " $0 "),
        (new(@"([^\.])(\.)([\]\)}>""']*)\s*$"), "$1 $2$3 "),
        (new(@"[?!]"), " $0 "),
        (new(@"([^'])' "), "$1 ' "),
        (new(@"[*]"), " $0 "),
        (new(@"[\]\[\(\)\{\}<>]"), " $0 "),
        (new("--"), " -- "),
    ];

    private static readonly (Regex Pattern, string Replacement)[] EndingQuotes =
    [
        (new("([»”’])"), " $1 "),
        (new("''"), " '' "),
        (new(@""""), " '' "),
        (new(@"([^' ])('[sS]|'[mM]|'[dD]|') "), "$1 $2 "),
        (new(@"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), "$1 $2 "),
        (new(@"(?i)\b(can)(not)\b"), " $1 $2 "),
        (new(@"(?i)\b(d)('ye)\b"), " $1 $2 "),
        (new(@"(?i)\b(gim)(me)\b"), " $1 $2 "),
        (new(@"(?i)\b(gon)(na)\b"), " $1 $2 "),
        (new(@"(?i)\b(got)(ta)\b"), " $1 $2 "),
        (new(@"(?i)\b(lem)(me)\b"), " $1 $2 "),
        (new(@"(?i)\b(more)('n)\b"), " $1 $2 "),
        (new(@"(?i)\b(wan)(na)(?=\s)"), " $1 $2 "),
        (new(@"(?i) ('t)(is)\b"), " $1 $2 "),
        (new(@"(?i) ('t)(was)\b"), " $1 $2 "),
    ];

    public static IReadOnlyList<string> Tokenize(string text) =>
        Sentences(text).SelectMany(TokenizeSentence).ToList();

    /// <summary>Approximate Punkt sentence boundaries (see the type's remarks).</summary>
    internal static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        foreach (Match boundary in SentenceEnd().Matches(text))
        {
            var word = LastWord().Match(text[start..boundary.Index]).Value.TrimEnd('.');
            if ((word.Length == 1 && char.IsLetter(word[0])) || Abbreviations.Contains(word))
            {
                continue;
            }

            yield return text[start..(boundary.Index + boundary.Length)];
            start = boundary.Index + boundary.Length;
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static IEnumerable<string> TokenizeSentence(string sentence)
    {
        var text = Apply(StartingQuotes, sentence);
        text = " " + Apply(Punctuation, text) + " ";
        text = Apply(EndingQuotes, text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Apply((Regex Pattern, string Replacement)[] rules, string text) =>
        rules.Aggregate(text, (current, rule) => rule.Pattern.Replace(current, rule.Replacement));

    /// <summary>A sentence end: <c>. ! ?</c>, closing quotes or brackets, then space before a capital, digit or quote.</summary>
    [GeneratedRegex(@"[.!?]+[""')\]]*\s+(?=[""'(\[]*[\p{Lu}\d])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\w.]+[.!?]*$")]
    private static partial Regex LastWord();
}
