namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Where phase 2 gets each chunk's bytes: from a snapshot taken earlier (asynchronous save), or straight from the
/// caller's shards into a scratch buffer (blocking save, which needs no second copy of the checkpoint in memory).
/// </summary>
internal interface IChunkSource
{
    CheckpointSaveRequest Request { get; }

    DateTimeOffset CreatedUtc { get; }

    int ChunkSize { get; }

    /// <summary>True when <see cref="Chunk"/> needs a scratch buffer of <see cref="ChunkSize"/> bytes.</summary>
    bool NeedsScratch { get; }

    /// <summary>The bytes of one chunk; valid until <paramref name="scratch"/> is reused.</summary>
    ReadOnlyMemory<byte> Chunk(int tensor, int shard, int chunk, byte[]? scratch);
}
