using System.Collections.Concurrent;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Reuses chunk-sized host buffers between saves. Snapshots are the only blocking part of a save; copying into
/// buffers that are already mapped avoids page faults and keeps that stall at memory-copy speed.
/// </summary>
internal sealed class ChunkBufferPool(int chunkSize, long maxPooledBytes)
{
    private readonly ConcurrentBag<byte[]> _free = [];
    private long _pooledBytes;

    public int ChunkSize => chunkSize;

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
            var buffer = GC.AllocateUninitializedArray<byte>(chunkSize);
            buffer.AsSpan().Clear();
            Return(buffer);
        }

        return PooledBytes;
    }

    public byte[] Rent() =>
        _free.TryTake(out var buffer)
            ? Track(buffer, -buffer.Length)
            : GC.AllocateUninitializedArray<byte>(chunkSize);

    public void Return(byte[] buffer)
    {
        if (buffer.Length == chunkSize && Interlocked.Read(ref _pooledBytes) + buffer.Length <= maxPooledBytes)
        {
            Track(buffer, buffer.Length);
            _free.Add(buffer);
        }
    }

    private byte[] Track(byte[] buffer, long delta)
    {
        Interlocked.Add(ref _pooledBytes, delta);
        return buffer;
    }
}
