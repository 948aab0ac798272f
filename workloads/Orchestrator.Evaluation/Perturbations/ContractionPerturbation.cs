using System.Text.RegularExpressions;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// HELM's <c>contraction</c> robustness perturbation: each expansion followed by a space (<c>she is </c>) becomes its
/// contraction (<c>she's </c>), case matched; the trailing-space rule avoids contracting at a sentence end.
/// </summary>
public sealed class ContractionPerturbation : Perturbation
{
    private static readonly Dictionary<string, string> ToContraction =
        ContractionMap.Reverse.ToDictionary(e => e.Expansion, e => e.Contraction, StringComparer.Ordinal);

    private static readonly Regex Pattern = new(
        $@"\b({string.Join('|', ContractionMap.Reverse.Select(e => Regex.Escape(e.Expansion)))})\b ",
        RegexOptions.IgnoreCase | RegexOptions.Singleline);

    /// <inheritdoc />
    public override string Name => "contraction";

    /// <inheritdoc />
    public override bool Robustness => true;

    internal override string Perturb(string text, PythonRandom random) =>
        Pattern.Replace(text, match =>
        {
            var found = match.Groups[1].Value;
            var contraction = ToContraction.GetValueOrDefault(found) ?? ToContraction[found.ToLowerInvariant()];
            return CaseMatcher.Match(found, contraction) + " ";
        });
}
