namespace Orchestrator.Contracts.Evaluation;

/// <summary>How far a shard's worker is (reported after every instance; also its heartbeat).</summary>
/// <param name="Done">Instances of the range with results (including those resumed from an earlier attempt).</param>
/// <param name="Total">Instances in the range.</param>
/// <param name="Resumed">Instances this attempt found already done and did not evaluate again.</param>
/// <param name="Evaluated">Instances this attempt evaluated (sent to the model and scored); over all attempts these
/// add up to <paramref name="Total"/> when resumption redoes nothing.</param>
/// <param name="CacheHits">Model requests this attempt answered from the request cache.</param>
/// <param name="CacheMisses">Model requests this attempt sent to the model.</param>
[GenerateSerializer, Immutable]
public sealed record ShardProgress(
    [property: Id(0)] int Done,
    [property: Id(1)] int Total,
    [property: Id(2)] int Resumed = 0,
    [property: Id(3)] int Evaluated = 0,
    [property: Id(4)] long CacheHits = 0,
    [property: Id(5)] long CacheMisses = 0);
