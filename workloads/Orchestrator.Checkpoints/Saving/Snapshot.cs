using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Phase 1 of a save: a copy of every shard in chunk-sized host buffers, taken while the caller waits. After it is
/// taken the caller may change its tensors; phase 2 works only from this copy.
/// </summary>
internal sealed class Snapshot : IChunkSource, IDisposable
{
    private readonly ChunkBufferPool _pool;
    private readonly List<AlignedBuffer> _buffers = [];
    private int _disposed;

    private Snapshot(CheckpointSaveRequest request, ChunkBufferPool pool, DateTimeOffset createdUtc, IReadOnlyList<SnapshotTensor> tensors)
    {
        Request = request;
        _pool = pool;
        CreatedUtc = createdUtc;
        Tensors = tensors;
    }

    public CheckpointSaveRequest Request { get; }

    public DateTimeOffset CreatedUtc { get; }

    public IReadOnlyList<SnapshotTensor> Tensors { get; }

    public int ChunkSize => _pool.ChunkSize;

    public long Bytes => Tensors.Sum(t => t.Shards.Sum(s => s.Source.ByteLength));

    public ReadOnlyMemory<byte> Chunk(int tensor, int shard, int chunk, Memory<byte> scratch) => Tensors[tensor].Shards[shard].Chunks[chunk];

    /// <summary>Validates the request and copies its shards; buffers go back to the pool if a copy throws.</summary>
    public static Snapshot Take(CheckpointSaveRequest request, ChunkBufferPool pool, TimeProvider clock)
    {
        SaveRequestValidation.Validate(request);
        var tensors = new List<SnapshotTensor>(request.Tensors.Count);
        var snapshot = new Snapshot(request, pool, clock.GetUtcNow(), tensors);
        try
        {
            foreach (var tensor in request.Tensors)
            {
                var shards = new List<SnapshotShard>(tensor.Shards.Count);
                tensors.Add(new SnapshotTensor(tensor, shards));
                foreach (var shard in tensor.Shards)
                {
                    var chunks = new List<ReadOnlyMemory<byte>>((int)((shard.ByteLength + pool.ChunkSize - 1) / pool.ChunkSize));
                    shards.Add(new SnapshotShard(shard, chunks));
                    for (long offset = 0; offset < shard.ByteLength; offset += pool.ChunkSize)
                    {
                        var length = (int)Math.Min(pool.ChunkSize, shard.ByteLength - offset);
                        var buffer = pool.Rent();
                        snapshot._buffers.Add(buffer);
                        chunks.Add(buffer.Memory[..length]);
                        shard.CopyTo(offset, buffer.Span[..length]);
                    }
                }
            }

            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var buffer in _buffers) _pool.Return(buffer);
    }
}

internal sealed record SnapshotTensor(TensorSource Source, IReadOnlyList<SnapshotShard> Shards);

internal sealed record SnapshotShard(ShardSource Source, IReadOnlyList<ReadOnlyMemory<byte>> Chunks);
