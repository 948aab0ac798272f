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
