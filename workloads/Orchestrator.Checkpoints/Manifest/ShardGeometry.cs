namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// Checks that a tensor's shards are boxes inside its global shape that cover it exactly once (pairwise disjoint,
/// volumes summing to the whole), and that each shard's byte length matches its box. Used before saving and after
/// loading, so a restore can rely on every element having exactly one source.
/// </summary>
internal static class ShardGeometry
{
    public static long Volume(IReadOnlyList<long> extents) => extents.Aggregate(1L, (product, extent) => checked(product * extent));

    /// <param name="wholeCover">False for one process's part of a distributed save: its shards must be disjoint and inside the tensor, but the other parts cover the rest.</param>
    public static void ValidateCover(string tensor, IReadOnlyList<long> globalShape, int elementSize,
        IReadOnlyList<(IReadOnlyList<long> Offsets, IReadOnlyList<long> Extents, long ByteLength)> shards, bool wholeCover = true)
    {
        if (string.IsNullOrEmpty(tensor)) throw new ArgumentException("tensor name must not be empty", nameof(tensor));
        for (var d = 0; d < globalShape.Count; d++)
        {
            if (globalShape[d] < 1) throw new ArgumentException($"tensor '{tensor}': globalShape[{d}] must be at least 1, got {globalShape[d]}", nameof(globalShape));
        }

        if (shards.Count == 0) throw new ArgumentException($"tensor '{tensor}' has no shards; at least one is needed", nameof(shards));
        long covered = 0;
        for (var i = 0; i < shards.Count; i++)
        {
            var (offsets, extents, byteLength) = shards[i];
            if (offsets.Count != globalShape.Count || extents.Count != globalShape.Count)
            {
                throw new ArgumentException($"tensor '{tensor}' shard {i}: offsets ({offsets.Count}) and extents ({extents.Count}) must have one entry per dimension ({globalShape.Count})", nameof(shards));
            }

            for (var d = 0; d < globalShape.Count; d++)
            {
                if (extents[d] < 1 || offsets[d] < 0 || offsets[d] + extents[d] > globalShape[d])
                {
                    throw new ArgumentException($"tensor '{tensor}' shard {i}: dimension {d} spans [{offsets[d]}, {offsets[d] + extents[d]}), which must be a non-empty range inside [0, {globalShape[d]})", nameof(shards));
                }
            }

            var expectedBytes = checked(Volume(extents) * elementSize);
            if (byteLength != expectedBytes)
            {
                throw new ArgumentException($"tensor '{tensor}' shard {i}: has {byteLength} bytes, its box of {Volume(extents)} elements of {elementSize} bytes needs {expectedBytes}", nameof(shards));
            }

            for (var j = 0; j < i; j++)
            {
                if (Overlaps(shards[j].Offsets, shards[j].Extents, offsets, extents))
                {
                    throw new ArgumentException($"tensor '{tensor}': shards {j} and {i} overlap; save each element once (e.g. only data-parallel rank 0 saves a replicated tensor)", nameof(shards));
                }
            }

            covered += Volume(extents);
        }

        var total = Volume(globalShape);
        if (wholeCover && covered != total)
        {
            throw new ArgumentException($"tensor '{tensor}': shards cover {covered} of its {total} elements; together they must cover the whole tensor", nameof(shards));
        }
    }

    public static bool Overlaps(IReadOnlyList<long> offsetsA, IReadOnlyList<long> extentsA, IReadOnlyList<long> offsetsB, IReadOnlyList<long> extentsB)
    {
        for (var d = 0; d < offsetsA.Count; d++)
        {
            if (offsetsA[d] >= offsetsB[d] + extentsB[d] || offsetsB[d] >= offsetsA[d] + extentsA[d])
            {
                return false;
            }
        }

        return true;
    }
}
