namespace Orchestrator.Contracts.Scheduling;

/// <summary>Which grain a queued workload is: the scheduler and the backends call it back through that kind.</summary>
[GenerateSerializer]
public enum WorkloadKind
{
    /// <summary>A training job (<c>IJobGrain</c>, keyed by job id).</summary>
    Training = 0,

    /// <summary>An evaluation shard (<c>IEvaluationShardGrain</c>, keyed by "run/shard").</summary>
    EvaluationShard = 1,
}
