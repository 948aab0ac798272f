using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>HELM's <c>extra_space</c> robustness perturbation: every space becomes <c>num_spaces</c> spaces.</summary>
public sealed class ExtraSpacePerturbation : Perturbation
{
    private readonly string _spaces;

    /// <summary>Creates the perturbation.</summary>
    /// <param name="spaces">Spaces per original space, at least 1.</param>
    public ExtraSpacePerturbation(int spaces)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spaces);
        _spaces = new string(' ', spaces);
    }

    /// <inheritdoc />
    public override string Name => "extra_space";

    /// <inheritdoc />
    public override bool Robustness => true;

    internal override string Perturb(string text, PythonRandom random) => text.Replace(" ", _spaces);
}
