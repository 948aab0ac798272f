using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>What a <see cref="CommitFence"/> is asked to approve: a fully written checkpoint about to be committed.</summary>
/// <param name="Checkpoint">Job, step and attempt.</param>
/// <param name="LogicalBytes">Bytes of all tensors.</param>
/// <param name="WrittenBytes">Bytes of new chunks this save wrote (the rest were already stored).</param>
public sealed record CheckpointCommit(CheckpointId Checkpoint, long LogicalBytes, long WrittenBytes);
