namespace Orchestrator.Contracts.Evaluation;

/// <summary>One shard as its grain sees it.</summary>
/// <param name="Index">Its index in the run.</param>
/// <param name="Start">First instance of its range.</param>
/// <param name="End">End of its range (exclusive).</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">Launches so far.</param>
/// <param name="Progress">The last progress its worker reported (sums of the attempt's counts), or null.</param>
/// <param name="Message">Why the last attempt ended, when one failed.</param>
/// <param name="CacheHits">Request-cache hits over all attempts.</param>
/// <param name="Redone">Instances evaluated again after an earlier attempt had finished them, over all attempts.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationShardView(
    [property: Id(0)] int Index,
    [property: Id(1)] int Start,
    [property: Id(2)] int End,
    [property: Id(3)] ShardState State,
    [property: Id(4)] int Attempts,
    [property: Id(5)] ShardProgress? Progress,
    [property: Id(6)] string? Message,
    [property: Id(7)] long CacheHits = 0,
    [property: Id(8)] int Redone = 0);
