using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Evaluation;

/// <summary>The persisted state of one evaluation shard.</summary>
[GenerateSerializer]
internal sealed class EvaluationShardRecord
{
    [Id(0)] public EvaluationShardWork? Work { get; set; }

    [Id(1)] public ShardState State { get; set; }

    /// <summary>Launches so far; the last is the one in force while <see cref="State"/> is Running.</summary>
    [Id(2)] public int Attempts { get; set; }

    /// <summary>Attempts that failed (preemptions do not count against <c>shardAttempts</c>).</summary>
    [Id(3)] public int Failures { get; set; }

    [Id(4)] public ShardProgress? Progress { get; set; }

    /// <summary>Instances evaluated and cache hits by attempts that have ended.</summary>
    [Id(5)] public int EvaluatedBefore { get; set; }

    [Id(6)] public long CacheHitsBefore { get; set; }

    [Id(7)] public string? Message { get; set; }

    /// <summary>The nodes the running attempt's worker was launched on.</summary>
    [Id(8)] public List<string> Nodes { get; set; } = [];

    public bool IsTerminal => State is ShardState.Succeeded or ShardState.Failed or ShardState.Cancelled;

    public bool IsLive(int attempt) => State == ShardState.Running && attempt == Attempts;

    public EvaluationShardView ToView()
    {
        var total = Work is null ? 0 : Work.End - Work.Start;
        var evaluated = EvaluatedBefore + (Progress?.Evaluated ?? 0);
        return new EvaluationShardView(Work?.Shard ?? 0, Work?.Start ?? 0, Work?.End ?? 0, State, Attempts, Progress, Message,
            CacheHitsBefore + (Progress?.CacheHits ?? 0), State == ShardState.Succeeded ? Math.Max(0, evaluated - total) : 0);
    }

    /// <summary>Closes the running attempt's counts into the totals.</summary>
    public void EndAttempt()
    {
        EvaluatedBefore += Progress?.Evaluated ?? 0;
        CacheHitsBefore += Progress?.CacheHits ?? 0;
        Progress = Progress is { } p ? p with { Evaluated = 0, CacheHits = 0, CacheMisses = 0, Resumed = 0 } : null;
        Nodes.Clear();
    }

    /// <summary>What the shard asks the scheduler for.</summary>
    public TrainingJobSpec PlacementSpec() =>
        ShardPlacement.Spec(Work!.Spec, $"{Work.Spec.Metadata.Name}/shard-{Work.Shard}", Work.Model.Architecture);
}
