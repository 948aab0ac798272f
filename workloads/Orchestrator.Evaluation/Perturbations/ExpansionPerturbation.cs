using System.Text.RegularExpressions;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>HELM's <c>expansion</c> robustness perturbation: each contraction (<c>she's</c>) expanded (<c>she is</c>), case matched.</summary>
public sealed class ExpansionPerturbation : Perturbation
{
    private static readonly Regex Pattern = new(
        $@"\b({string.Join('|', ContractionMap.Entries.Select(e => Regex.Escape(e.Contraction)))})\b",
        RegexOptions.IgnoreCase | RegexOptions.Singleline);

    /// <inheritdoc />
    public override string Name => "expansion";

    /// <inheritdoc />
    public override bool Robustness => true;

    internal override string Perturb(string text, PythonRandom random) =>
        Pattern.Replace(text, match =>
        {
            var found = match.Value;
            var expansion = ContractionMap.Expansions.GetValueOrDefault(found)
                            ?? ContractionMap.Expansions.GetValueOrDefault(found.ToLowerInvariant());

            // HELM would fail on a contraction matched only case-insensitively with no lower-case entry; keep the text.
            return expansion is null ? found : CaseMatcher.Match(found, expansion);
        });
}
