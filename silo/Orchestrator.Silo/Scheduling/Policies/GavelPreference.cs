namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// Gavel's idea (Narayanan et al., OSDI 2020) for one pass: a job that may run on several device types should get the
/// type where its speed-up is large relative to the other waiting jobs, so that every job's throughput, normalised
/// to what it gets on its own best type, is as high as possible for the worst-off job (max-min fairness in effective
/// throughput rather than in device counts). Gavel solves a linear program over time shares; a pass places jobs one
/// at a time, so this ranks each job's types by comparative advantage: its normalised throughput on the type over
/// the mean normalised throughput of all waiting jobs on that type. On two jobs and two types this picks the
/// assignment with the larger minimum normalised throughput (see the tests' hand-worked case).
/// </summary>
internal sealed class GavelPreference
{
    private readonly Dictionary<string, double> _meanNormalised = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="waiting">The pass's waiting jobs; only untyped ones with a throughput prediction count.</param>
    public GavelPreference(IEnumerable<WaitingJob> waiting)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.OrdinalIgnoreCase);
        foreach (var job in waiting.Where(Applies))
        {
            foreach (var (type, normalised) in Normalised(job.Throughput!))
            {
                var (sum, count) = sums.GetValueOrDefault(type);
                sums[type] = (sum + normalised, count + 1);
            }
        }

        foreach (var (type, (sum, count)) in sums) _meanNormalised[type] = sum / count;
    }

    /// <summary>Whether the job leaves its device type open and has predictions to choose by.</summary>
    public static bool Applies(WaitingJob job) =>
        job.Demand.GpuType is null && job.Throughput is { Count: > 0 } throughput && throughput.Values.Any(v => v > 0);

    /// <summary>The job's device types with a positive prediction, best comparative advantage first (then its own
    /// normalised throughput, then name).</summary>
    public IReadOnlyList<string> Rank(WaitingJob job) =>
        Normalised(job.Throughput!)
            .Select(t => (t.Type, t.Value, Advantage: t.Value / _meanNormalised.GetValueOrDefault(t.Type, t.Value)))
            .OrderByDescending(t => t.Advantage)
            .ThenByDescending(t => t.Value)
            .ThenBy(t => t.Type, StringComparer.Ordinal)
            .Select(t => t.Type)
            .ToList();

    private static IEnumerable<(string Type, double Value)> Normalised(IReadOnlyDictionary<string, double> throughput)
    {
        var best = throughput.Values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return best <= 0 ? [] : throughput.Where(kv => kv.Value > 0 && double.IsFinite(kv.Value)).Select(kv => (kv.Key, kv.Value / best));
    }
}
