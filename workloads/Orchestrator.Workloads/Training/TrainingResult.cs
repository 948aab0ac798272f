using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Training;

/// <summary>What a training run did.</summary>
/// <param name="StepsCompleted">Optimizer steps taken by this run (not counting steps before it started or resumed).</param>
/// <param name="Losses">The loss of each step, in order.</param>
/// <param name="Tokens">Tokens trained on by this run.</param>
/// <param name="Seconds">Wall time of the steps.</param>
/// <param name="Cancelled">True when cancellation stopped the run between steps before <see cref="TrainingOptions.Steps"/>.</param>
/// <param name="Stopped">True when a checkpoint-and-stop request ended the run before <see cref="TrainingOptions.Steps"/>.</param>
/// <param name="StopCheckpoint">The checkpoint at the step where the run stopped on request; null when it could not be committed (e.g. the attempt was fenced) or the run did not stop on request.</param>
/// <param name="LastCommitted">The newest checkpoint this run committed (after normal completion: the final step's), if any.</param>
/// <param name="RestoredFrom">The checkpoint this run resumed from, if any.</param>
public sealed record TrainingResult(
    int StepsCompleted,
    IReadOnlyList<double> Losses,
    long Tokens,
    double Seconds,
    bool Cancelled,
    bool Stopped = false,
    CheckpointId? StopCheckpoint = null,
    CheckpointId? LastCommitted = null,
    CheckpointId? RestoredFrom = null)
{
    /// <summary>The first step's loss, or NaN when no step ran.</summary>
    public double FirstLoss => Losses.Count > 0 ? Losses[0] : double.NaN;

    /// <summary>The last step's loss, or NaN when no step ran.</summary>
    public double FinalLoss => Losses.Count > 0 ? Losses[^1] : double.NaN;

    /// <summary>True when the run stopped on request right after committing a checkpoint of the step it stopped at.</summary>
    public bool StoppedAfterCheckpoint => Stopped && StopCheckpoint is not null;
}
