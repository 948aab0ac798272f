using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// HELM's <c>compute_worst_case_metrics</c> (metrics/metric.py): per instance and metric, the minimum over the original
/// and its perturbed copies — over all robustness perturbations (<c>robustness</c>), all fairness perturbations
/// (<c>fairness</c>) and each perturbation alone — recorded with <c>computed_on = worst</c>; for each single
/// perturbation also the original's value (<c>computed_on = original</c>). Like HELM it takes the minimum even for
/// metrics where lower is better.
/// </summary>
public static class WorstCaseStats
{
    /// <summary>Computed-on marker of worst-case stats.</summary>
    public const string Worst = "worst";

    /// <summary>Computed-on marker of the originals' values beside a perturbation.</summary>
    public const string Original = "original";

    /// <summary>Derives the worst-case stats of one train trial; per-instance stats must be in canonical order.</summary>
    public static IReadOnlyList<Stat> Derive(IReadOnlyList<PerInstanceStats> trial)
    {
        var groups = new Dictionary<(MetricName Metric, string Id), List<Stat>>();
        var order = new List<(MetricName, string)>();
        foreach (var instance in trial)
        {
            foreach (var stat in instance.Stats)
            {
                var key = (stat.Name with { Perturbation = null }, instance.Instance.Id);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                    order.Add(key);
                }

                list.Add(stat);
            }
        }

        var derived = new Dictionary<MetricName, Stat>();
        foreach (var key in order)
        {
            AddInstance(derived, key.Item1, groups[key]);
        }

        return derived.Values.ToList();
    }

    private static void AddInstance(Dictionary<MetricName, Stat> derived, MetricName metric, List<Stat> stats)
    {
        Stat? original = null;
        var robustness = new Stat(metric with { Perturbation = new PerturbationDescription("robustness", Robustness: true) });
        var fairness = new Stat(metric with { Perturbation = new PerturbationDescription("fairness", Fairness: true) });
        var single = new List<Stat>();
        foreach (var stat in stats)
        {
            var perturbation = stat.Name.Perturbation;
            if (perturbation is null)
            {
                original = original is null
                    ? stat
                    : throw new InvalidOperationException($"two original stats of '{metric.Name}' for one instance");
                continue;
            }

            if (perturbation.Robustness)
            {
                robustness = robustness.Merge(stat.WithName(robustness.Name));
            }

            if (perturbation.Fairness)
            {
                fairness = fairness.Merge(stat.WithName(fairness.Name));
            }

            single.Add(stat);
        }

        foreach (var candidate in single.Prepend(fairness).Prepend(robustness))
        {
            var perturbation = candidate.Name.Perturbation!;
            var combined = candidate;
            if (original is not null)
            {
                combined = candidate.Merge(original.WithName(candidate.Name));
                if (perturbation.Name is not ("robustness" or "fairness"))
                {
                    Merge(derived, original.WithName(metric with { Perturbation = perturbation with { ComputedOn = Original } }));
                }
            }

            if (combined.Count > 0)
            {
                Merge(derived, Stat.Of(metric with { Perturbation = perturbation with { ComputedOn = Worst } }, combined.Min!.Value));
            }
        }
    }

    private static void Merge(Dictionary<MetricName, Stat> stats, Stat stat) =>
        stats[stat.Name] = stats.TryGetValue(stat.Name, out var existing) ? existing.Merge(stat) : stat;
}
