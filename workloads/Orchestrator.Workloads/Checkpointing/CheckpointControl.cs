namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Lets another thread ask a running training loop to checkpoint and stop (e.g. before preemption): at its next step
/// boundary the loop saves a checkpoint, waiting for any save still in flight, awaits its commit, and returns with
/// <see cref="Training.TrainingResult.Stopped"/> set.
/// </summary>
public sealed class CheckpointControl
{
    private volatile bool _stopRequested;

    /// <summary>True once <see cref="RequestCheckpointAndStop"/> was called.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Asks for a checkpoint at the next step boundary, then a stop. Safe from any thread; repeated calls are one request.</summary>
    public void RequestCheckpointAndStop() => _stopRequested = true;
}
