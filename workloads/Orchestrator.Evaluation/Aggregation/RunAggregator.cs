using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// Turns per-instance stats into a run's stats the way HELM's <c>Metric.evaluate</c> does (metrics/metric.py): per
/// train trial, merge every instance's stats; per context (split, sub-split, perturbation) add the derived stats
/// (perplexity and bits per byte from the merged sums, calibration from the per-instance values); add the worst-case
/// robustness/fairness stats and <c>num_instances</c>; then keep each trial stat's mean and merge those over trials.
/// <para>
/// Order-independent by construction: inputs are sorted by (instance id, perturbation, trial) before any floating-point
/// sum, so shards may report in any order or partition and the run stats are bitwise the same.
/// </para>
/// </summary>
public static class RunAggregator
{
    /// <summary>Aggregates the per-instance stats of a whole run (all shards together).</summary>
    /// <exception cref="ArgumentException">An (instance, perturbation, trial) appears twice.</exception>
    public static IReadOnlyList<Stat> Aggregate(IEnumerable<PerInstanceStats> perInstance)
    {
        var sorted = Canonical(perInstance);
        var global = new Dictionary<MetricName, Stat>();
        foreach (var trial in sorted.GroupBy(p => p.TrainTrialIndex).OrderBy(g => g.Key))
        {
            foreach (var stat in TrialStats(trial.ToList()))
            {
                Merge(global, stat.TakeMean());
            }
        }

        return global.Values.OrderBy(s => s.Name.SortKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Combines shards' per-instance stats into one canonical list; a repeated instance is refused.</summary>
    public static IReadOnlyList<PerInstanceStats> Canonical(IEnumerable<PerInstanceStats> perInstance)
    {
        var sorted = perInstance
            .OrderBy(p => p.Key.Id, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Perturbation, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Trial)
            .ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Key == sorted[i - 1].Key)
            {
                throw new ArgumentException(
                    $"instance '{sorted[i].Key.Id}' (perturbation '{sorted[i].Key.Perturbation}', trial {sorted[i].Key.Trial}) " +
                    "was reported twice; each instance belongs to exactly one shard", nameof(perInstance));
            }
        }

        return sorted;
    }

    private static IEnumerable<Stat> TrialStats(IReadOnlyList<PerInstanceStats> trial)
    {
        var stats = new Dictionary<MetricName, Stat>();
        foreach (var stat in trial.SelectMany(p => p.Stats))
        {
            Merge(stats, stat);
        }

        var contexts = stats.Keys.Select(ContextOf).Distinct().OrderBy(c => c.SortKey, StringComparer.Ordinal).ToList();
        foreach (var context in contexts)
        {
            var merged = stats.Values.Where(s => ContextOf(s.Name) == context)
                .ToDictionary(s => s.Name.Name, StringComparer.Ordinal);
            var perInstanceInContext = trial
                .Select(p => (IReadOnlyList<Stat>)p.Stats.Where(s => ContextOf(s.Name) == context).ToList())
                .Where(list => list.Count > 0)
                .ToList();
            var derived = LanguageModelingMetrics.Derive(merged)
                .Concat(CalibrationMetrics.Derive(perInstanceInContext))
                .Append(Stat.Of(new MetricName("num_instances"), perInstanceInContext.Count))
                .ToList();
            foreach (var stat in derived)
            {
                Merge(stats, stat.WithName(context.Renamed(stat.Name.Name)));
            }
        }

        foreach (var stat in WorstCaseStats.Derive(trial))
        {
            Merge(stats, stat);
        }

        return stats.Values.OrderBy(s => s.Name.SortKey, StringComparer.Ordinal);
    }

    private static MetricName ContextOf(MetricName name) => name with { Name = "" };

    private static void Merge(Dictionary<MetricName, Stat> stats, Stat stat) =>
        stats[stat.Name] = stats.TryGetValue(stat.Name, out var existing) ? existing.Merge(stat) : stat;
}
