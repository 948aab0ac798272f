namespace Orchestrator.Contracts.Evaluation;

/// <summary>A perturbation (HELM's data augmentation) with its parameters.</summary>
/// <param name="Name">One of <see cref="Names"/>.</param>
/// <param name="Probability">Per-word (or per-letter for typos) probability, for those that take one.</param>
/// <param name="Seed">Seed mixed with the instance id (HELM); null: the id alone.</param>
[GenerateSerializer, Immutable]
public sealed record PerturbationSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] double? Probability = null,
    [property: Id(2)] int? Seed = null)
{
    /// <summary>The perturbations a spec may name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["typos", "lowercase", "contraction", "expansion", "extra_space", "dialect", "gender", "person_name"];
}
