using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// <see cref="PerInstanceStats"/> as a results file holds it. A plain shape of its own because <see cref="Stat"/> has
/// two constructors, which JSON deserialization cannot choose between; doubles round-trip exactly.
/// </summary>
internal sealed record StoredInstanceStats(Instance Instance, int TrainTrialIndex, IReadOnlyList<StoredStat> Stats)
{
    public static StoredInstanceStats From(PerInstanceStats stats) =>
        new(stats.Instance, stats.TrainTrialIndex, stats.Stats.Select(s => new StoredStat(s.Name, s.Count, s.Sum, s.SumSquared, s.Min, s.Max)).ToList());

    public PerInstanceStats ToStats() =>
        new(Instance, TrainTrialIndex, Stats.Select(s => new Stat(s.Name, s.Count, s.Sum, s.SumSquared, s.Min, s.Max)).ToList());
}
