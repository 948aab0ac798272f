namespace Orchestrator.Checkpoints.Interval;

/// <summary>
/// When to checkpoint: every N steps, every fixed period, or <c>auto</c>, the Young/Daly interval sqrt(2·C·MTBF)
/// that minimises expected lost time (checkpoint cost plus recomputation after a failure), from the measured
/// blocking stall C of the last save and the mean time between failures.
/// </summary>
public sealed record CheckpointInterval
{
    private CheckpointInterval(CheckpointIntervalKind kind, long steps, TimeSpan period, TimeSpan meanTimeBetweenFailures)
    {
        Kind = kind;
        Steps = steps;
        Period = period;
        MeanTimeBetweenFailures = meanTimeBetweenFailures;
    }

    /// <summary>Which rule applies.</summary>
    public CheckpointIntervalKind Kind { get; }

    /// <summary>Steps between checkpoints (<see cref="CheckpointIntervalKind.Steps"/> only).</summary>
    public long Steps { get; }

    /// <summary>Time between checkpoints (<see cref="CheckpointIntervalKind.Time"/> only).</summary>
    public TimeSpan Period { get; }

    /// <summary>Mean time between failures of the job's allocation (<see cref="CheckpointIntervalKind.Auto"/> only).</summary>
    public TimeSpan MeanTimeBetweenFailures { get; }

    /// <summary>A checkpoint every <paramref name="steps"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    public static CheckpointInterval EverySteps(long steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "checkpoint.every in steps must be at least 1");
        return new(CheckpointIntervalKind.Steps, steps, TimeSpan.Zero, TimeSpan.Zero);
    }

    /// <summary>A checkpoint at the first step boundary after each <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not positive.</exception>
    public static CheckpointInterval Every(TimeSpan period)
    {
        if (period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(period), period, "checkpoint.every as a time must be positive");
        return new(CheckpointIntervalKind.Time, 0, period, TimeSpan.Zero);
    }

    /// <summary>The Young/Daly interval for the given mean time between failures.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="meanTimeBetweenFailures"/> is not positive.</exception>
    public static CheckpointInterval Auto(TimeSpan meanTimeBetweenFailures)
    {
        if (meanTimeBetweenFailures <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(meanTimeBetweenFailures), meanTimeBetweenFailures, "mean time between failures must be positive for checkpoint.every: auto");
        }

        return new(CheckpointIntervalKind.Auto, 0, TimeSpan.Zero, meanTimeBetweenFailures);
    }

    /// <summary>
    /// Young's optimum sqrt(2·C·M) for checkpoint cost C and mean time between failures M. When C ≥ 2M the formula
    /// stops making sense (a checkpoint would cost more than the work it protects); Daly then prescribes M.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">C is negative or M is not positive.</exception>
    public static TimeSpan YoungDaly(TimeSpan checkpointCost, TimeSpan meanTimeBetweenFailures)
    {
        if (checkpointCost < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(checkpointCost), checkpointCost, "checkpoint cost cannot be negative");
        if (meanTimeBetweenFailures <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(meanTimeBetweenFailures), meanTimeBetweenFailures, "mean time between failures must be positive");
        if (checkpointCost >= 2 * meanTimeBetweenFailures) return meanTimeBetweenFailures;
        var seconds = Math.Sqrt(2.0 * checkpointCost.TotalSeconds * meanTimeBetweenFailures.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The period this rule currently asks for: the fixed period, or for auto the Young/Daly interval of the last
    /// measured stall. Null for step intervals, and for auto before any stall has been measured.
    /// </summary>
    public TimeSpan? CurrentPeriod(TimeSpan? measuredStall) => Kind switch
    {
        CheckpointIntervalKind.Time => Period,
        CheckpointIntervalKind.Auto when measuredStall is { } stall => YoungDaly(stall, MeanTimeBetweenFailures),
        _ => null,
    };

    /// <summary>
    /// Whether a checkpoint is due at this step boundary. Never twice at one step. Auto with no stall measured yet is
    /// due at once: the first save is what measures C.
    /// </summary>
    /// <param name="stepsSinceLast">Steps completed since the last checkpoint (or since the start).</param>
    /// <param name="sinceLast">Wall time since the last checkpoint (or since the start).</param>
    /// <param name="measuredStall">Blocking stall of the last save; null before the first.</param>
    public bool IsDue(long stepsSinceLast, TimeSpan sinceLast, TimeSpan? measuredStall)
    {
        if (stepsSinceLast < 1) return false;
        return Kind switch
        {
            CheckpointIntervalKind.Steps => stepsSinceLast >= Steps,
            CheckpointIntervalKind.Time => sinceLast >= Period,
            _ => measuredStall is null || sinceLast >= YoungDaly(measuredStall.Value, MeanTimeBetweenFailures),
        };
    }
}
