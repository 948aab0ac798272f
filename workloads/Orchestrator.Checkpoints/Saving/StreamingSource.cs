namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// The blocking save's source: chunks of host memory are read in place; other shards are copied chunk by chunk into
/// a worker's scratch buffer just before the chunk is hashed and written, so memory use is a few chunks however
/// large the checkpoint.
/// </summary>
internal sealed class StreamingSource : IChunkSource
{
    public StreamingSource(CheckpointSaveRequest request, int chunkSize, TimeProvider clock, bool wholeCover = true)
    {
        SaveRequestValidation.Validate(request, wholeCover);
        Request = request;
        ChunkSize = chunkSize;
        CreatedUtc = clock.GetUtcNow();
    }

    public CheckpointSaveRequest Request { get; }

    public DateTimeOffset CreatedUtc { get; }

    public int ChunkSize { get; }

    public ReadOnlyMemory<byte> Chunk(int tensor, int shard, int chunk, Memory<byte> scratch)
    {
        var source = Request.Tensors[tensor].Shards[shard];
        var offset = (long)chunk * ChunkSize;
        var length = (int)Math.Min(ChunkSize, source.ByteLength - offset);
        if (source.HostBytes is { } host)
        {
            return host.Slice((int)offset, length);
        }

        source.CopyTo(offset, scratch.Span[..length]);
        return scratch[..length];
    }
}
