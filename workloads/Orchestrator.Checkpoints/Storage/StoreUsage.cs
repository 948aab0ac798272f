namespace Orchestrator.Checkpoints.Storage;

/// <summary>How much the store holds against how much its checkpoints describe.</summary>
/// <param name="Checkpoints">Committed, readable checkpoints over all jobs.</param>
/// <param name="Chunks">Chunk files stored.</param>
/// <param name="StoredBytes">Bytes of chunk files.</param>
/// <param name="LogicalBytes">Sum over checkpoints of their tensors' bytes (what storing each in full would take).</param>
public sealed record StoreUsage(int Checkpoints, long Chunks, long StoredBytes, long LogicalBytes)
{
    /// <summary>Logical over stored bytes; 1 when nothing is stored.</summary>
    public double DeduplicationRatio => StoredBytes == 0 ? 1.0 : (double)LogicalBytes / StoredBytes;
}
