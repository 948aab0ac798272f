using Orleans.Concurrency;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// One evaluation run, keyed by run id: resolves the model, cuts the run's instances into shards, follows them, and
/// when all have succeeded aggregates their per-instance results into HELM-shaped files in the results store.
/// </summary>
public interface IEvaluationRunGrain : IGrainWithStringKey
{
    /// <summary>Stores a validated spec and starts its shards. Fails if the id is taken or the spec is refused.</summary>
    [Access(AccessScope.Submit, Audited = true)]
    Task<EvaluationRunView> SubmitAsync(EvaluationJobSpec spec);

    /// <summary>
    /// The run, or null when no run has this id. Interleaves: the lineage grain reads a cascade's runs while a finishing
    /// run waits on it to record its scores (a run records them before it shows itself succeeded).
    /// </summary>
    [AlwaysInterleave]
    [Access(AccessScope.OwnJob)]
    Task<EvaluationRunView?> GetAsync();

    /// <summary>Cancels the run and its shards; a no-op on a finished run. Throws when no run has this id.</summary>
    [Access(AccessScope.OwnJob, Audited = true)]
    Task<EvaluationRunView> CancelAsync(string reason);

    /// <summary>A shard changed (progress, attempt, end): sent by the shard grain.</summary>
    [OneWay]
    [Access(AccessScope.Internal)]
    Task ShardChangedAsync(EvaluationShardView shard);
}
