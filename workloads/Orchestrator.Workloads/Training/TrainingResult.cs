namespace Orchestrator.Workloads.Training;

/// <summary>What a training run did.</summary>
/// <param name="StepsCompleted">Optimizer steps taken by this run (not counting steps before <see cref="TrainingOptions.StartStep"/>).</param>
/// <param name="Losses">The loss of each step, in order.</param>
/// <param name="Tokens">Tokens trained on by this run.</param>
/// <param name="Seconds">Wall time of the steps.</param>
/// <param name="Cancelled">True when cancellation stopped the run between steps before <see cref="TrainingOptions.Steps"/>.</param>
public sealed record TrainingResult(int StepsCompleted, IReadOnlyList<double> Losses, long Tokens, double Seconds, bool Cancelled)
{
    /// <summary>The first step's loss, or NaN when no step ran.</summary>
    public double FirstLoss => Losses.Count > 0 ? Losses[0] : double.NaN;

    /// <summary>The last step's loss, or NaN when no step ran.</summary>
    public double FinalLoss => Losses.Count > 0 ? Losses[^1] : double.NaN;
}
