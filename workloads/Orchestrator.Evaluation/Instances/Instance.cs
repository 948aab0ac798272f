namespace Orchestrator.Evaluation.Instances;

/// <summary>
/// One example of a scenario (HELM's <c>Instance</c>): an input, its references, the split it belongs to and its id.
/// Perturbed copies keep the id of the original and carry a <see cref="Perturbation"/>.
/// </summary>
/// <param name="Id">Identifier, unique within a scenario per perturbation.</param>
/// <param name="Input">The input text.</param>
/// <param name="References">Candidate outputs; gold ones are tagged <c>correct</c>.</param>
/// <param name="Split">One of <see cref="Splits.All"/>.</param>
/// <param name="SubSplit">Optional finer split (HELM's <c>sub_split</c>).</param>
/// <param name="Perturbation">The perturbation that produced this copy, or null for the original.</param>
public sealed record Instance(
    string Id,
    string Input,
    IReadOnlyList<Reference> References,
    string Split,
    string? SubSplit = null,
    PerturbationDescription? Perturbation = null)
{
    /// <summary>The first reference tagged correct, or null (HELM's <c>first_correct_reference</c>).</summary>
    public Reference? FirstCorrectReference => References.FirstOrDefault(r => r.IsCorrect);

    /// <summary>Value equality over the reference list as well.</summary>
    public bool Equals(Instance? other) =>
        other is not null && Id == other.Id && Input == other.Input && Split == other.Split &&
        SubSplit == other.SubSplit && Perturbation == other.Perturbation && References.SequenceEqual(other.References);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Input, Split, SubSplit, Perturbation);
}
