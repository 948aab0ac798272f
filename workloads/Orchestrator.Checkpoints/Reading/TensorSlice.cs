namespace Orchestrator.Checkpoints.Reading;

/// <summary>A box of a tensor to restore: where it starts and how large it is, per dimension (row-major bytes result).</summary>
/// <param name="Offsets">Start in the global tensor, one per dimension.</param>
/// <param name="Extents">Size, one per dimension, each at least 1.</param>
public sealed record TensorSlice(IReadOnlyList<long> Offsets, IReadOnlyList<long> Extents)
{
    /// <summary>The whole tensor of the given shape.</summary>
    public static TensorSlice Whole(IReadOnlyList<long> globalShape) => new(new long[globalShape.Count], globalShape.ToArray());

    /// <summary>Elements in the box.</summary>
    public long ElementCount => Extents.Aggregate(1L, (product, extent) => checked(product * extent));

    /// <summary>Throws unless the box has one entry per dimension and lies inside <paramref name="globalShape"/>.</summary>
    /// <exception cref="ArgumentException">The message names the dimension and the allowed range.</exception>
    public void ValidateWithin(string tensor, IReadOnlyList<long> globalShape)
    {
        if (Offsets.Count != globalShape.Count || Extents.Count != globalShape.Count)
        {
            throw new ArgumentException($"slice of tensor '{tensor}' needs {globalShape.Count} offsets and extents (one per dimension), got {Offsets.Count} and {Extents.Count}", nameof(Offsets));
        }

        for (var d = 0; d < globalShape.Count; d++)
        {
            if (Extents[d] < 1 || Offsets[d] < 0 || Offsets[d] + Extents[d] > globalShape[d])
            {
                throw new ArgumentException($"slice of tensor '{tensor}': dimension {d} spans [{Offsets[d]}, {Offsets[d] + Extents[d]}), which must be a non-empty range inside [0, {globalShape[d]})", nameof(Extents));
            }
        }
    }
}
