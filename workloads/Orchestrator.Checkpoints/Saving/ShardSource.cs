namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// One rank's shard offered for saving: where it sits in the global tensor and how to copy its row-major bytes.
/// With <see cref="AsyncCheckpointSaver"/> the copy runs only in phase 1 (the snapshot), so the caller may change its
/// tensors once that call returns; <see cref="CheckpointStore.SaveAsync"/> copies chunk by chunk while it writes.
/// Either may call <see cref="CopyTo"/> from several threads at once for disjoint ranges.
/// </summary>
/// <param name="Offsets">Start of the box in the global tensor, one per dimension.</param>
/// <param name="Extents">Size of the box, one per dimension.</param>
/// <param name="OwningRank">The global rank saving it.</param>
/// <param name="ByteLength">Bytes the copy delivers: product of extents times the element size.</param>
/// <param name="CopyTo">Copies <c>destination.Length</c> bytes starting at byte <c>sourceOffset</c> of the shard.</param>
public sealed record ShardSource(
    IReadOnlyList<long> Offsets,
    IReadOnlyList<long> Extents,
    int OwningRank,
    long ByteLength,
    ShardCopy CopyTo)
{
    /// <summary>
    /// The shard's bytes when they already sit in host memory (set by <see cref="FromBytes"/>): a blocking save then
    /// hashes and writes them in place instead of copying each chunk first.
    /// </summary>
    public ReadOnlyMemory<byte>? HostBytes { get; init; }

    /// <summary>A shard whose bytes are already in host memory.</summary>
    public static ShardSource FromBytes(IReadOnlyList<long> offsets, IReadOnlyList<long> extents, int owningRank, ReadOnlyMemory<byte> bytes) =>
        new(offsets, extents, owningRank, bytes.Length, (sourceOffset, destination) =>
            bytes.Span.Slice(checked((int)sourceOffset), destination.Length).CopyTo(destination))
        {
            HostBytes = bytes,
        };
}
