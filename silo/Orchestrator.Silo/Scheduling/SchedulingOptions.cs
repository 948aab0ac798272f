using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduling;

/// <summary>Switches and bounds of a scheduling pass.</summary>
internal sealed record SchedulingOptions
{
    /// <summary>Let later jobs start around a blocked head job when they do not delay its reservation (EASY backfill).</summary>
    public bool Backfill { get; init; } = true;

    /// <summary>Let a blocked head job stop lower-priority running jobs to fit.</summary>
    public bool Preemption { get; init; } = true;

    /// <summary>
    /// How many waiting jobs behind a blocked head are tried for backfill in one pass; the rest wait for the next pass.
    /// Bounds the pass's placement calls on long queues.
    /// </summary>
    public int MaxBackfillCandidates { get; init; } = 256;

    /// <summary>How waiting jobs are ordered and device types chosen; <see cref="SchedulingPolicyKind.PriorityFifoBackfill"/> by default.</summary>
    public SchedulingPolicyKind Policy { get; init; } = SchedulingPolicyKind.PriorityFifoBackfill;

    public static SchedulingOptions Default { get; } = new();

    /// <summary>Throws when a bound is out of range.</summary>
    public void Validate()
    {
        if (MaxBackfillCandidates < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBackfillCandidates), MaxBackfillCandidates,
                "scheduler.maxBackfillCandidates must be zero or more");
        }
    }
}
