using System.Text;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// HELM's <c>typos</c> robustness perturbation (augmentations/typos_perturbation.py, after NL-Augmenter's butter
/// fingers): each letter with a QWERTY neighbour map entry is, with probability <c>prob</c>, replaced by a uniformly
/// chosen distance-1 neighbour; the letter's case is kept.
/// </summary>
public sealed class TyposPerturbation : Perturbation
{
    private static readonly Dictionary<char, string> Neighbours = new()
    {
        ['q'] = "was", ['w'] = "qesad", ['e'] = "wsdfr", ['r'] = "edfgt", ['t'] = "rfghy", ['y'] = "tghju",
        ['u'] = "yhjki", ['i'] = "ujklo", ['o'] = "iklp", ['p'] = "ol", ['a'] = "qwsz", ['s'] = "weadzx",
        ['d'] = "erfcxs", ['f'] = "rtgvcd", ['g'] = "tyhbvf", ['h'] = "yujnbg", ['j'] = "uikmnh", ['k'] = "iolmj",
        ['l'] = "opk", ['z'] = "asx", ['x'] = "sdcz", ['c'] = "dfvx", ['v'] = "fgbc", ['b'] = "ghnv", ['n'] = "hjmb",
        ['m'] = "jkn",
    };

    private readonly double _probability;

    /// <summary>Creates the perturbation.</summary>
    /// <param name="probability">Chance that each mapped letter is replaced, in [0, 1] (HELM's runs use 0.05).</param>
    public TyposPerturbation(double probability)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "perturbations.typos.prob: must be in [0, 1]");
        }

        _probability = probability;
    }

    /// <inheritdoc />
    public override string Name => "typos";

    /// <inheritdoc />
    public override bool Robustness => true;

    internal override string Perturb(string text, PythonRandom random)
    {
        var result = new StringBuilder(text.Length);
        foreach (var letter in text)
        {
            var lower = char.ToLowerInvariant(letter);
            var replacement = lower;
            if (Neighbours.TryGetValue(lower, out var neighbours) && random.NextDouble() < _probability)
            {
                replacement = neighbours[random.Below(neighbours.Length)];
            }

            result.Append(lower != letter ? char.ToUpperInvariant(replacement) : replacement);
        }

        return result.ToString();
    }
}
