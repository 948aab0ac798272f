namespace Orchestrator.Checkpoints.Interval;

/// <summary>How a <see cref="CheckpointInterval"/> decides when the next checkpoint is due.</summary>
public enum CheckpointIntervalKind
{
    /// <summary>Every fixed number of steps.</summary>
    Steps,

    /// <summary>Every fixed wall-clock period.</summary>
    Time,

    /// <summary>The Young/Daly optimum sqrt(2·C·MTBF) from the measured stall C and a mean time between failures.</summary>
    Auto,
}
