using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>One process's written part of a distributed save, not yet committed (see <see cref="CheckpointStore.CommitPartsAsync"/>).</summary>
/// <param name="Checkpoint">The checkpoint it belongs to.</param>
/// <param name="Part">Its index among the save's parts.</param>
/// <param name="WrittenBytes">Bytes of chunks new to the store.</param>
/// <param name="ChunksWritten">Chunks written.</param>
/// <param name="ChunksReused">Chunks already stored.</param>
/// <param name="WriteDuration">Hashing and writing the chunks.</param>
public sealed record CheckpointPart(CheckpointId Checkpoint, int Part, long WrittenBytes, int ChunksWritten, int ChunksReused, TimeSpan WriteDuration);
