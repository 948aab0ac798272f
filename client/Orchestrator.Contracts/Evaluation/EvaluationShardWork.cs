namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// What one evaluation shard does, handed to its worker with the placement: a range of the run's evaluated instances
/// (over all scenarios, in spec order), the model, and where results and the request cache live.
/// </summary>
/// <param name="RunId">The evaluation run.</param>
/// <param name="Shard">This shard's index from 0.</param>
/// <param name="ShardCount">Shards in the run.</param>
/// <param name="Start">First instance of the range (inclusive), in the run's instance order.</param>
/// <param name="End">End of the range (exclusive).</param>
/// <param name="Spec">The run's spec.</param>
/// <param name="Model">The model resolved by the run (which checkpoint, or the endpoint).</param>
/// <param name="ResultsDirectory">The run's folder in the results store: shards append per-instance results there.</param>
/// <param name="CacheDirectory">The request cache's folder (shared by runs, keyed by model and request).</param>
/// <param name="CheckpointRoot">The checkpoint store, for a checkpoint model.</param>
/// <param name="DataRoot">Where built-in scenarios' datasets are installed, as the run found them; null when none is.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationShardWork(
    [property: Id(0)] string RunId,
    [property: Id(1)] int Shard,
    [property: Id(2)] int ShardCount,
    [property: Id(3)] int Start,
    [property: Id(4)] int End,
    [property: Id(5)] EvaluationJobSpec Spec,
    [property: Id(6)] ResolvedModel Model,
    [property: Id(7)] string ResultsDirectory,
    [property: Id(8)] string CacheDirectory,
    [property: Id(9)] string? CheckpointRoot,
    [property: Id(10)] string? DataRoot = null);
