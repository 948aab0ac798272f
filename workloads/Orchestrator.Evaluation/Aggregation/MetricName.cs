using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// A stat's identity (HELM's <c>MetricName</c>): the metric plus the context it was computed in (split, sub-split,
/// perturbation). Stats with different contexts are never merged.
/// </summary>
/// <param name="Name">Metric name, e.g. <c>exact_match</c>.</param>
/// <param name="Split">Split of the instances, or null.</param>
/// <param name="SubSplit">Sub-split, or null.</param>
/// <param name="Perturbation">Perturbation, or null for the originals.</param>
public sealed record MetricName(
    string Name, string? Split = null, string? SubSplit = null, PerturbationDescription? Perturbation = null)
{
    /// <summary>The name with this stat's context taken from an instance (HELM's <c>add_context</c>).</summary>
    public static MetricName InContextOf(string name, Instance instance) =>
        new(name, instance.Split, instance.SubSplit, instance.Perturbation);

    /// <summary>This name with another metric name and the same context.</summary>
    public MetricName Renamed(string name) => this with { Name = name };

    /// <summary>Stable text key, used to order stats so that results do not depend on arrival order.</summary>
    public string SortKey =>
        string.Join('\u001f', Name, Split ?? "", SubSplit ?? "", Perturbation?.Name ?? "",
            Perturbation?.ComputedOn ?? "", Perturbation?.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            Perturbation?.Robustness == true ? "r" : "", Perturbation?.Fairness == true ? "f" : "");
}
