using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// The stats of one evaluated instance in one train trial (HELM's <c>PerInstanceStats</c>). What a shard produces and
/// what the run aggregates; stat names already carry the instance's context.
/// </summary>
/// <param name="Instance">The instance (its id, split and perturbation identify it).</param>
/// <param name="TrainTrialIndex">Which train trial (set of in-context examples) it was evaluated under.</param>
/// <param name="Stats">Its stats, one per metric name.</param>
public sealed record PerInstanceStats(Instance Instance, int TrainTrialIndex, IReadOnlyList<Stat> Stats)
{
    /// <summary>Identity used to order and de-duplicate results: (id, perturbation, trial).</summary>
    public (string Id, string Perturbation, int Trial) Key => (Instance.Id, Instance.Perturbation?.Name ?? "", TrainTrialIndex);

    /// <summary>The stat with this metric name (any context), or null.</summary>
    public Stat? Find(string metric) => Stats.FirstOrDefault(s => s.Name.Name == metric);
}
