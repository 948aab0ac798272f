using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>HELM's <c>lowercase</c> robustness perturbation: the whole input lower-cased.</summary>
public sealed class LowerCasePerturbation : Perturbation
{
    /// <inheritdoc />
    public override string Name => "lowercase";

    /// <inheritdoc />
    public override bool Robustness => true;

    internal override string Perturb(string text, PythonRandom random) => text.ToLowerInvariant();
}
