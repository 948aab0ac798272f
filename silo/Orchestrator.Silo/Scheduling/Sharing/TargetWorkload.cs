namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// The distribution of task shapes FGD measures fragmentation against: each distinct GPU-requesting shape and the
/// share of tasks that have it. CPU-only tasks are left out: they count every free share of a node as fragment
/// whatever the placement, so they shift every candidate's score equally and never change a choice.
/// </summary>
internal sealed record TargetWorkload(IReadOnlyList<WorkloadShape> Shapes)
{
    /// <summary>The FGD artifact's coverage of its typical pods (<c>podPopularityThreshold: 95</c>).</summary>
    public const double TypicalCoverage = 0.95;

    /// <summary>Every shape of <paramref name="tasks"/>, weighted by how many tasks have it.</summary>
    public static TargetWorkload From(IEnumerable<ShareTask> tasks) => Typical(tasks, 1.0);

    /// <summary>
    /// The typical shapes of <paramref name="tasks"/>, as the FGD artifact builds its target workload: shapes keyed by
    /// CPU, GPU thousandths, device count and type (memory takes no part in fragmentation), CPU-only tasks counted,
    /// the most popular shapes taken one by one until they cover <paramref name="coverage"/> of all tasks, their
    /// popularity renormalised over what was taken. Rare shapes then do not pull placements towards keeping room
    /// for tasks that hardly ever come.
    /// </summary>
    /// <param name="tasks">The workload's tasks.</param>
    /// <param name="coverage">Share of tasks the kept shapes must cover, greater than 0 and at most 1 (the artifact's
    /// <c>podPopularityThreshold</c> of 95% is 0.95).</param>
    public static TargetWorkload Typical(IEnumerable<ShareTask> tasks, double coverage)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (!(coverage > 0 && coverage <= 1)) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "coverage must be greater than 0 and at most 1");
        var counts = new Dictionary<ShareTask, int>();
        var total = 0;
        foreach (var task in tasks)
        {
            var shape = task with { MemoryMib = 0 };
            counts[shape] = counts.GetValueOrDefault(shape) + 1;
            total++;
        }

        var ordered = counts
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.GpuCount).ThenBy(kv => kv.Key.GpuMilli).ThenBy(kv => kv.Key.CpuMilli)
            .ThenBy(kv => kv.Key.GpuType, StringComparer.Ordinal)
            .ToList();
        var kept = new List<KeyValuePair<ShareTask, int>>();
        var covered = 0;
        foreach (var shape in ordered)
        {
            if (covered >= coverage * total) break;
            kept.Add(shape);
            covered += shape.Value;
        }

        return new TargetWorkload(kept.Where(kv => kv.Key.GpuCount > 0).Select(kv => new WorkloadShape(kv.Key, kv.Value / (double)covered)).ToList());
    }
}
