using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>A checkpoint was not committed. Training goes on.</summary>
/// <param name="Checkpoint">The checkpoint that was being saved.</param>
/// <param name="Error">Why: an I/O failure, or <see cref="Orchestrator.Checkpoints.StaleAttemptException"/> when the attempt was fenced.</param>
/// <param name="Fenced">True when the attempt is no longer the job's current one; the run then saves nothing more.</param>
public sealed record CheckpointSaveFailed(CheckpointId Checkpoint, Exception Error, bool Fenced);
