using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>A committed checkpoint and what writing it cost.</summary>
/// <param name="Manifest">The committed manifest.</param>
/// <param name="WrittenBytes">Bytes of chunks that were new to the store.</param>
/// <param name="ChunksWritten">Chunks written.</param>
/// <param name="ChunksReused">Chunks already stored (by an earlier step, another job, or this save).</param>
/// <param name="WriteDuration">Phase 2: hashing, writing and committing.</param>
public sealed record CheckpointSaveResult(CheckpointManifest Manifest, long WrittenBytes, int ChunksWritten, int ChunksReused, TimeSpan WriteDuration);
