using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// Plans an update cascade: when <c>trigger</c> supersedes the previous version of its model, every version derived
/// from that previous version (transitively) is re-derived by re-running the job that made it, started from the
/// replacement of its parent, and every evaluation of a replaced version is re-run against its replacement. Steps are
/// numbered breadth-first, so each comes after the step it depends on.
/// </summary>
internal static class CascadePlanner
{
    /// <exception cref="ArgumentException">The trigger's model has no earlier version, so there is nothing to re-derive.</exception>
    public static (ModelVersionRecord Previous, List<CascadeStepRecord> Steps) Plan(LineageGraph graph, ModelVersionRecord trigger)
    {
        var previous = graph.Previous(trigger)
            ?? throw new ArgumentException($"reference: {trigger.Reference} is the first version of '{trigger.Name}': there is no earlier version whose descendants could be re-derived", "reference");
        var steps = new List<CascadeStepRecord>();
        var queue = new Queue<(ModelVersionRecord Old, int? ReplacedBy)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { previous.Reference };
        queue.Enqueue((previous, null));
        while (queue.TryDequeue(out var item))
        {
            // Later versions of the trigger's own model are not descendants to re-derive: they are its peers.
            foreach (var child in graph.Children(item.Old.Reference).Where(c => c.Name != trigger.Name && visited.Add(c.Reference)))
            {
                var step = Add(CascadeStepKind.Derive, child.Reference, child.Job, item.ReplacedBy);
                step.Spec = child.Spec;
                queue.Enqueue((child, step.Index));
            }

            // One re-run per evaluation run: the newest record of each says what it ran.
            foreach (var evaluation in graph.EvaluationsOf(item.Old.Reference).GroupBy(e => e.Job).Select(g => g.Last()))
            {
                Add(CascadeStepKind.Evaluate, item.Old.Reference, evaluation.Job, item.ReplacedBy).Evaluation = evaluation.Spec;
            }
        }

        return (previous, steps);

        CascadeStepRecord Add(CascadeStepKind kind, string replaces, string job, int? dependsOn)
        {
            var step = new CascadeStepRecord { Index = steps.Count + 1, Kind = kind, Replaces = replaces, OriginalJob = job, DependsOn = dependsOn };
            steps.Add(step);
            return step;
        }
    }
}
