using System.Collections.Concurrent;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Reuses chunk-sized host buffers between saves. Snapshots are the only blocking part of a save; copying into
/// buffers that are already mapped avoids page faults and keeps that stall at memory-copy speed. The buffers are
/// aligned for direct I/O, so phase 2 writes a snapshot's chunks from them without another copy.
/// </summary>
internal sealed class ChunkBufferPool(int chunkSize, long maxPooledBytes)
{
    private readonly ConcurrentBag<AlignedBuffer> _free = [];
    private long _pooledBytes;

    public int ChunkSize => chunkSize;

    /// <summary>Chunk bytes the pooled buffers hold (each buffer counts as one chunk; alignment padding is not counted).</summary>
    public long PooledBytes => Interlocked.Read(ref _pooledBytes);

    /// <summary>
    /// Allocates buffers up to <paramref name="bytes"/> (within the pool's limit) and writes every page, so the
    /// operating system maps them now rather than during the first snapshot.
    /// </summary>
    /// <returns>Bytes now pooled.</returns>
    public long Reserve(long bytes)
    {
        var target = Math.Min(bytes, maxPooledBytes);
        while (PooledBytes + chunkSize <= target)
        {
            var buffer = new AlignedBuffer(chunkSize);
            buffer.Span.Clear();
            Return(buffer);
        }

        return PooledBytes;
    }

    public AlignedBuffer Rent()
    {
        if (!_free.TryTake(out var buffer)) return new AlignedBuffer(chunkSize);
        Interlocked.Add(ref _pooledBytes, -chunkSize);
        return buffer;
    }

    public void Return(AlignedBuffer buffer)
    {
        if (buffer.Length >= chunkSize && Interlocked.Read(ref _pooledBytes) + chunkSize <= maxPooledBytes)
        {
            Interlocked.Add(ref _pooledBytes, chunkSize);
            _free.Add(buffer);
        }
    }
}
