using System.Text.Json.Serialization;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// One rank's piece of a tensor as stored: a box of the global tensor (an offset and an extent per dimension), its
/// bytes in row-major order split into fixed-size chunks named by their SHA-256.
/// </summary>
/// <param name="Offsets">Where the box starts in the global tensor, one entry per dimension.</param>
/// <param name="Extents">The box's size, one entry per dimension, each at least 1.</param>
/// <param name="OwningRank">The global rank that saved it (for operators; a restore does not need it).</param>
/// <param name="ByteLength">Bytes of the box: product of extents times the element size.</param>
/// <param name="Chunks">Lower-case hex SHA-256 of each chunk, in order; every chunk but the last is full.</param>
public sealed record TensorShard(
    IReadOnlyList<long> Offsets,
    IReadOnlyList<long> Extents,
    int OwningRank,
    long ByteLength,
    IReadOnlyList<string> Chunks)
{
    /// <summary>Elements in the box.</summary>
    [JsonIgnore]
    public long ElementCount => Extents.Aggregate(1L, (product, extent) => checked(product * extent));
}
