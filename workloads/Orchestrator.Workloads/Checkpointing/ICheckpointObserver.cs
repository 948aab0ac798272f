namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Receives a training run's checkpoint events (the worker forwards them to the job grain and to metrics). Called
/// from the training loop between steps, never concurrently with itself or with the step observer.
/// </summary>
public interface ICheckpointObserver
{
    /// <summary>The run resumed from a checkpoint, before its first step.</summary>
    ValueTask OnRestoredAsync(CheckpointRestored restored, CancellationToken ct);

    /// <summary>
    /// The job had no checkpoint of its own and took its initial weights from another job's checkpoint (a registered
    /// model version, <c>model.from</c>), resharded into this run's layout; training starts at step 0 with a fresh optimizer.
    /// </summary>
    ValueTask OnStartedFromAsync(CheckpointRestored restored, CancellationToken ct) => ValueTask.CompletedTask;

    /// <summary>The job had checkpoints but every one was damaged: the run starts from the initial weights at its start step.</summary>
    ValueTask OnNoUsableCheckpointAsync(IReadOnlyList<SkippedCheckpoint> skipped, CancellationToken ct);

    /// <summary>A checkpoint was committed (reported at the first step boundary after its background write ended).</summary>
    ValueTask OnCommittedAsync(CheckpointCommitted committed, CancellationToken ct);

    /// <summary>A checkpoint could not be committed.</summary>
    ValueTask OnSaveFailedAsync(CheckpointSaveFailed failed, CancellationToken ct);
}
