namespace Orchestrator.Evaluation.Instances;

/// <summary>
/// Which perturbation produced an instance (HELM's <c>PerturbationDescription</c>): its name, whether it counts towards
/// robustness or fairness, and the seed it ran with. <see cref="ComputedOn"/> is set only on derived worst-case stats.
/// </summary>
/// <param name="Name">Perturbation name, e.g. <c>typos</c> or <c>dialect</c>.</param>
/// <param name="Robustness">Counts towards the robustness worst case.</param>
/// <param name="Fairness">Counts towards the fairness worst case.</param>
/// <param name="Seed">The seed the perturbation ran with, if any.</param>
/// <param name="ComputedOn">For derived stats: <c>worst</c> or <c>original</c>; null on instances.</param>
public sealed record PerturbationDescription(
    string Name, bool Robustness = false, bool Fairness = false, int? Seed = null, string? ComputedOn = null);
