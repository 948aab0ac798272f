namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// What one process of a distributed save wrote: a manifest that lists only its own shards (so it does not cover
/// every tensor and is never committed as it is) and what writing them cost. The coordinator merges all parts.
/// </summary>
/// <param name="Shards">The checkpoint's identity, layout and metadata with this process's shards and their chunks.</param>
/// <param name="WrittenBytes">Bytes of chunks this process wrote.</param>
/// <param name="ChunksWritten">Chunks this process wrote.</param>
/// <param name="ChunksReused">Chunks this process found already stored.</param>
/// <param name="WriteDuration">How long this process took to hash and write its chunks.</param>
internal sealed record CheckpointPartFile(CheckpointManifest Shards, long WrittenBytes, int ChunksWritten, int ChunksReused, TimeSpan WriteDuration);
