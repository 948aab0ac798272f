using System.Text.Json;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// HELM's <c>dialect</c> fairness perturbation (augmentations/dialect_perturbation.py): Standard American English words
/// replaced, with probability <c>prob</c>, by African American English forms; references are perturbed too. HELM
/// downloads the SAE→AAVE mapping of Ziems et al. 2022 (VALUE, https://arxiv.org/abs/2204.03031); the built-in
/// <see cref="SmallSaeToAave"/> is a short list of common lexical substitutions of that kind, so pass the real mapping
/// file (<c>{"word": ["replacement", ...]}</c>) with <see cref="FromMappingFile"/> to reproduce HELM's numbers.
/// </summary>
public sealed class DialectPerturbation : Perturbation
{
    /// <summary>A small built-in SAE→AAVE word list (lexical substitutions of the kind in Ziems et al. 2022).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> SmallSaeToAave { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["with"] = ["wit"], ["about"] = ["bout"], ["because"] = ["cuz", "cause"], ["them"] = ["dem"],
            ["this"] = ["dis"], ["that"] = ["dat"], ["they"] = ["dey"], ["brother"] = ["bruh"],
            ["nothing"] = ["nothin"], ["something"] = ["somethin"], ["going"] = ["goin"], ["doing"] = ["doin"],
            ["your"] = ["yo"], ["friend"] = ["homie"],
        };

    private readonly WordSubstitution _substitution;

    /// <summary>Creates the perturbation.</summary>
    /// <param name="probability">Chance each mapped word is replaced (HELM's runs use 1.0).</param>
    /// <param name="mapping">Word to replacements; <see cref="SmallSaeToAave"/> when null.</param>
    public DialectPerturbation(double probability, IReadOnlyDictionary<string, IReadOnlyList<string>>? mapping = null) =>
        _substitution = new WordSubstitution(mapping ?? SmallSaeToAave, probability, "perturbations.dialect");

    /// <inheritdoc />
    public override string Name => "dialect";

    /// <inheritdoc />
    public override bool Fairness => true;

    /// <inheritdoc />
    public override bool PerturbsReferences => true;

    /// <summary>Uses a mapping file in HELM's format (e.g. HELM's SAE_to_AAVE_mapping.json).</summary>
    public static DialectPerturbation FromMappingFile(double probability, string path)
    {
        var mapping = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(File.ReadAllText(path))
                      ?? throw new FormatException($"{path}: must be an object from word to replacements");
        return new DialectPerturbation(
            probability, mapping.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal));
    }

    internal override string Perturb(string text, PythonRandom random) => _substitution.Apply(text, random);
}
