namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// The distribution of task shapes FGD measures fragmentation against: each distinct GPU-requesting shape and the
/// share of tasks that have it. CPU-only tasks are left out: they count every free share of a node as fragment
/// whatever the placement, so they shift every candidate's score equally and never change a choice.
/// </summary>
internal sealed record TargetWorkload(IReadOnlyList<WorkloadShape> Shapes)
{
    public static TargetWorkload From(IEnumerable<ShareTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var counts = new Dictionary<ShareTask, int>();
        foreach (var task in tasks.Where(t => t.GpuCount > 0))
        {
            counts[task] = counts.GetValueOrDefault(task) + 1;
        }

        double total = counts.Values.Sum();
        return new TargetWorkload(counts
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.GpuCount).ThenBy(kv => kv.Key.GpuMilli).ThenBy(kv => kv.Key.CpuMilli)
            .Select(kv => new WorkloadShape(kv.Key, kv.Value / total))
            .ToList());
    }
}
