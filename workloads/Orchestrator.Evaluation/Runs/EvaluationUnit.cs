using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// One evaluated instance of a run (valid or test split, before perturbation) with its scenario: the unit shards
/// split, results are written for, and resumption skips. Its perturbed copies and train trials go with it.
/// </summary>
/// <param name="Index">Its place in the run's order (scenarios in spec order, instances in file order).</param>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Instance">The instance.</param>
public sealed record EvaluationUnit(int Index, string Scenario, Instance Instance);
