using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>An evaluation run: its spec, state, shards, events and (once finished) its scores.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Spec">The spec.</param>
/// <param name="State">The run's state (Pending, Running, Succeeded, Failed, Cancelled).</param>
/// <param name="SubmittedAt">When submitted.</param>
/// <param name="FinishedAt">When it ended, or null.</param>
/// <param name="Model">The model resolved, or null before resolution.</param>
/// <param name="Shards">Its shards.</param>
/// <param name="Events">State changes and notes, oldest first.</param>
/// <param name="Scores">Aggregated stats, once the run succeeded.</param>
/// <param name="ResultsDirectory">Where its HELM-shaped files are, on the control plane's machine.</param>
/// <param name="Message">Why it failed, or null.</param>
/// <param name="Instances">Evaluated instances in the run (over all scenarios).</param>
/// <param name="Checkpoints">For <c>step: every</c>: each committed checkpoint of the followed job and its run; null otherwise.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationRunView(
    [property: Id(0)] string Id,
    [property: Id(1)] EvaluationJobSpec Spec,
    [property: Id(2)] JobState State,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] DateTimeOffset? FinishedAt,
    [property: Id(5)] ResolvedModel? Model,
    [property: Id(6)] IReadOnlyList<EvaluationShardView> Shards,
    [property: Id(7)] IReadOnlyList<JobEvent> Events,
    [property: Id(8)] IReadOnlyList<EvaluationScore> Scores,
    [property: Id(9)] string? ResultsDirectory,
    [property: Id(10)] string? Message,
    [property: Id(11)] int Instances,
    [property: Id(12)] IReadOnlyList<CheckpointEvaluation>? Checkpoints = null)
{
    /// <summary>Instances with results so far.</summary>
    public int InstancesDone => Shards.Sum(s => s.State == ShardState.Succeeded ? s.End - s.Start : s.Progress?.Done ?? 0);

    /// <summary>True once the run succeeded, failed or was cancelled.</summary>
    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
