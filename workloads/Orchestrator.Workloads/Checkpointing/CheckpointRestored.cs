using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>A run resumed from a checkpoint.</summary>
/// <param name="Checkpoint">The checkpoint restored: its step is where training continues, its attempt the one that saved it.</param>
/// <param name="SavedLayout">The layout it was saved under.</param>
/// <param name="CurrentLayout">The layout it was restored into (different when it was resharded).</param>
/// <param name="Seconds">Wall time of the restore (reading, verifying and copying into the ranks).</param>
/// <param name="Skipped">Newer checkpoints passed over because they are damaged, newest first.</param>
public sealed record CheckpointRestored(
    CheckpointId Checkpoint,
    CheckpointLayout SavedLayout,
    CheckpointLayout CurrentLayout,
    double Seconds,
    IReadOnlyList<SkippedCheckpoint> Skipped);
