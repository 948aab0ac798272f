using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// The run's part in model lineage: a run that evaluated a model version (named by <c>from: NAME@VERSION</c>, or a
/// checkpoint that holds a registered version) records its main scores in the graph as an "evaluated by" edge, which
/// makes them the version's latest scores and lets an update cascade re-run it against the version's replacement.
/// </summary>
internal sealed partial class EvaluationRunGrain
{
    /// <summary>Records a succeeded run's scores; a failure is a note on the run, never fatal to it.</summary>
    private async Task RecordInLineageAsync(IReadOnlyList<EvaluationScore> scores)
    {
        if (Run.Model is not { CheckpointJobId: { } job, CheckpointStep: { } step } model) return;
        var lineage = GrainFactory.GetGrain<ILineageGrain>("default");
        try
        {
            var version = model.Version ?? (await lineage.FindByCheckpointAsync(job, step))?.Reference;
            if (version is null) return;
            await lineage.RecordEvaluationAsync(version, Id, LineageScores(Run.Spec!, scores), Run.Spec);
            Run.Note(Now, $"recorded in the lineage graph as an evaluation of model version {version}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Run.Note(Now, $"the scores could not be recorded in the lineage graph: {e.Message}");
        }
    }

    /// <summary>
    /// The run's main scores (as <c>orch job</c> shows them) under names without spaces: <c>scenario:metric</c> on the
    /// test split, <c>:SPLIT</c> added for another split and <c>:robustness</c> for the worst case; a metric with no
    /// finite mean is left out.
    /// </summary>
    private static Dictionary<string, double> LineageScores(EvaluationJobSpec spec, IReadOnlyList<EvaluationScore> scores) =>
        MainScores.Of(spec, scores).Where(s => double.IsFinite(s.Mean)).DistinctBy(Name).ToDictionary(Name, s => s.Mean, StringComparer.Ordinal);

    private static string Name(EvaluationScore score) =>
        $"{score.Scenario}:{score.Metric}{(score.Split is null or "test" ? "" : $":{score.Split}")}{(score.Perturbation is { } perturbation ? $":{perturbation}" : "")}";
}
