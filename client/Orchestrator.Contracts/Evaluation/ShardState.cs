namespace Orchestrator.Contracts.Evaluation;

/// <summary>Where an evaluation shard is.</summary>
[GenerateSerializer]
public enum ShardState
{
    /// <summary>Queued at the scheduler (first time, or after a failed attempt).</summary>
    Waiting = 0,

    /// <summary>A worker is evaluating its range.</summary>
    Running = 1,

    /// <summary>Every instance of its range has results.</summary>
    Succeeded = 2,

    /// <summary>It used all its attempts.</summary>
    Failed = 3,

    /// <summary>Its run was cancelled.</summary>
    Cancelled = 4,
}
