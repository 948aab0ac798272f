namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Where phase 2 gets each chunk's bytes: from a snapshot taken earlier (asynchronous save), or straight from the
/// caller's shards (blocking save, which needs no second copy of the checkpoint in memory).
/// </summary>
internal interface IChunkSource
{
    CheckpointSaveRequest Request { get; }

    DateTimeOffset CreatedUtc { get; }

    int ChunkSize { get; }

    /// <summary>
    /// The bytes of one chunk; valid until <paramref name="scratch"/> is reused. Sources that hold the bytes in memory
    /// return them in place; others copy them into <paramref name="scratch"/> (at least <see cref="ChunkSize"/> bytes).
    /// </summary>
    ReadOnlyMemory<byte> Chunk(int tensor, int shard, int chunk, Memory<byte> scratch);
}
