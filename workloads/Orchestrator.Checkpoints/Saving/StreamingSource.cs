namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// The blocking save's source: each chunk is copied from the caller's shard into a worker's scratch buffer just
/// before it is hashed and written, so memory use is a few chunks however large the checkpoint.
/// </summary>
internal sealed class StreamingSource : IChunkSource
{
    public StreamingSource(CheckpointSaveRequest request, int chunkSize, TimeProvider clock)
    {
        SaveRequestValidation.Validate(request);
        Request = request;
        ChunkSize = chunkSize;
        CreatedUtc = clock.GetUtcNow();
        NeedsScratch = request.Tensors.Any(t => t.Shards.Any(s => s.HostBytes is null));
    }

    public CheckpointSaveRequest Request { get; }

    public DateTimeOffset CreatedUtc { get; }

    public int ChunkSize { get; }

    public bool NeedsScratch { get; }

    public ReadOnlyMemory<byte> Chunk(int tensor, int shard, int chunk, byte[]? scratch)
    {
        var source = Request.Tensors[tensor].Shards[shard];
        var offset = (long)chunk * ChunkSize;
        var length = (int)Math.Min(ChunkSize, source.ByteLength - offset);
        if (source.HostBytes is { } host)
        {
            return host.Slice((int)offset, length);
        }

        ArgumentNullException.ThrowIfNull(scratch);
        source.CopyTo(offset, scratch.AsSpan(0, length));
        return scratch.AsMemory(0, length);
    }
}
