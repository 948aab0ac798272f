using System.Text.RegularExpressions;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// The substitution step HELM's dialect perturbation uses (augmentations/dialect_perturbation.py): find mapped words
/// delimited by characters other than word characters and <c>-</c> (matches do not overlap, so the delimiter is
/// consumed), and with probability <c>prob</c> replace each by a uniformly chosen target, case matched.
/// </summary>
internal sealed class WordSubstitution
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _mapping;
    private readonly double _probability;
    private readonly Regex _pattern;

    public WordSubstitution(IReadOnlyDictionary<string, IReadOnlyList<string>> mapping, double probability, string field)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, $"{field}.prob: must be in [0, 1]");
        }

        if (mapping.Count == 0 || mapping.Values.Any(targets => targets.Count == 0))
        {
            throw new ArgumentException($"{field}.mapping: needs at least one word, each with at least one replacement");
        }

        _mapping = mapping.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value, StringComparer.Ordinal);
        _probability = probability;
        _pattern = new Regex(
            $@"[^\w-]({string.Join('|', mapping.Keys.Select(Regex.Escape))})[^\w-]", RegexOptions.IgnoreCase);
    }

    /// <param name="text">Text to rewrite.</param>
    /// <param name="random">The instance's generator.</param>
    /// <param name="consistent">Reuse the first choice for a word seen again in this text (person names).</param>
    public string Apply(string text, PythonRandom random, bool consistent = false)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        return _pattern.Replace(text, match =>
        {
            var whole = match.Value;
            var word = match.Groups[1].Value;
            var key = word.ToLowerInvariant();
            if (random.NextDouble() < _probability)
            {
                if (!consistent || !chosen.TryGetValue(key, out var target))
                {
                    target = random.Choice(_mapping[key]);
                    chosen[key] = target;
                }

                var replacement = CaseMatcher.Match(word, target);
                whole = whole.Replace(word, replacement, StringComparison.Ordinal);
            }

            return whole;
        });
    }
}
