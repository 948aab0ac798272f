using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>A checkpoint was committed to the store.</summary>
/// <param name="Checkpoint">Job, step and attempt.</param>
/// <param name="StallSeconds">Time training was blocked: gathering sharded optimizer state, and copying every shard into host memory (plus, for a save that had to happen, waiting for the previous one).</param>
/// <param name="WriteSeconds">Background time to hash, write and commit (phase 2).</param>
/// <param name="LogicalBytes">Bytes of all tensors in the checkpoint.</param>
/// <param name="WrittenBytes">Bytes of chunks new to the store.</param>
/// <param name="ChunksWritten">Chunks written.</param>
/// <param name="ChunksReused">Chunks already stored (by an earlier checkpoint, another job, or this one).</param>
/// <param name="CollectionError">Why the garbage collection after the commit failed; null when it succeeded. A failed collection leaves old checkpoints in place and does not stop training.</param>
public sealed record CheckpointCommitted(
    CheckpointId Checkpoint,
    double StallSeconds,
    double WriteSeconds,
    long LogicalBytes,
    long WrittenBytes,
    int ChunksWritten,
    int ChunksReused,
    string? CollectionError);
