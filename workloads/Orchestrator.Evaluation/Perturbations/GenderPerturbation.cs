using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// A gender-term fairness perturbation in the manner of HELM's <c>gender</c> perturbation
/// (augmentations/gender_perturbation.py, mode <c>terms</c>, male → female): each listed term replaced with
/// probability <c>prob</c> by its counterpart, case matched; references perturbed too. The built-in pairs are a small
/// subset of the gendered word pairs HELM uses (from Garg et al. 2018, https://arxiv.org/abs/1711.08412). HELM's
/// pronoun mode, which resolves <c>her</c> → <c>him</c>/<c>his</c> by part of speech, is not built.
/// </summary>
public sealed class GenderPerturbation : Perturbation
{
    /// <summary>Male → female term pairs (lower case).</summary>
    public static IReadOnlyList<(string Male, string Female)> TermPairs { get; } =
    [
        ("man", "woman"), ("men", "women"), ("boy", "girl"), ("boys", "girls"), ("father", "mother"),
        ("fathers", "mothers"), ("son", "daughter"), ("sons", "daughters"), ("brother", "sister"),
        ("brothers", "sisters"), ("uncle", "aunt"), ("nephew", "niece"), ("husband", "wife"), ("king", "queen"),
        ("gentleman", "lady"), ("mr", "mrs"),
    ];

    private readonly WordSubstitution _substitution;

    /// <summary>Creates the perturbation.</summary>
    /// <param name="probability">Chance each term is replaced (HELM's runs use 1.0).</param>
    /// <param name="toFemale">Replace male terms by female ones (true) or the reverse.</param>
    public GenderPerturbation(double probability, bool toFemale = true) =>
        _substitution = new WordSubstitution(
            TermPairs.ToDictionary(
                p => toFemale ? p.Male : p.Female,
                p => (IReadOnlyList<string>)[toFemale ? p.Female : p.Male],
                StringComparer.Ordinal),
            probability,
            "perturbations.gender");

    /// <inheritdoc />
    public override string Name => "gender";

    /// <inheritdoc />
    public override bool Fairness => true;

    /// <inheritdoc />
    public override bool PerturbsReferences => true;

    internal override string Perturb(string text, PythonRandom random) => _substitution.Apply(text, random);
}
