using System.Buffers;
using System.Runtime.InteropServices;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Reading;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// Compares two checkpoints tensor by tensor from the store's chunks. A tensor whose shards and chunk hashes are
/// identical in both is equal without reading a byte (content addressing); any other is streamed in slabs of whole
/// rows from both, assembled across whatever layouts saved them, so memory stays bounded for any model size.
/// </summary>
internal sealed class CheckpointDiff(CheckpointStore store)
{
    private const long SlabBytes = 8L << 20;

    public async Task<(IReadOnlyList<TensorDifference> Tensors, long BytesRead)> CompareAsync(CheckpointManifest first, CheckpointManifest second, CancellationToken cancellationToken)
    {
        var inSecond = second.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var results = new List<TensorDifference>();
        var compared = new List<(CheckpointTensor First, CheckpointTensor Second)>();
        foreach (var tensor in first.Tensors)
        {
            if (!inSecond.TryGetValue(tensor.Name, out var other)) results.Add(Whole(tensor, TensorDifferenceKind.OnlyInFirst));
            else if (other.DataType != tensor.DataType || !other.GlobalShape.SequenceEqual(tensor.GlobalShape)) results.Add(Whole(tensor, TensorDifferenceKind.Reshaped));
            else if (SameChunks(tensor, other, first.ChunkSize == second.ChunkSize)) results.Add(Describe(tensor, TensorDifferenceKind.Same, 0, 0));
            else compared.Add((tensor, other));
        }

        var inFirst = first.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        results.AddRange(second.Tensors.Where(t => !inFirst.Contains(t.Name)).Select(t => Whole(t, TensorDifferenceKind.OnlyInSecond)));

        var differences = new TensorDifference[compared.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, compared.Count), new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            async (i, ct) => differences[i] = await CompareTensorAsync(first, second, compared[i].First, ct).ConfigureAwait(false)).ConfigureAwait(false);
        results.AddRange(differences);
        results.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (results, 2 * compared.Sum(c => c.First.ByteLength));
    }

    private static bool SameChunks(CheckpointTensor a, CheckpointTensor b, bool sameChunkSize) =>
        sameChunkSize && a.Shards.Count == b.Shards.Count && a.Shards.Zip(b.Shards).All(p =>
            p.First.Offsets.SequenceEqual(p.Second.Offsets) && p.First.Extents.SequenceEqual(p.Second.Extents) && p.First.Chunks.SequenceEqual(p.Second.Chunks, StringComparer.Ordinal));

    private async Task<TensorDifference> CompareTensorAsync(CheckpointManifest first, CheckpointManifest second, CheckpointTensor tensor, CancellationToken cancellationToken)
    {
        var elementSize = tensor.DataType.ElementSize();
        var shape = tensor.GlobalShape.ToArray();
        // A scalar is one row of one element; otherwise rows are slices along the first dimension.
        var rows = shape.Length == 0 ? 1 : shape[0];
        var rowBytes = tensor.ByteLength / Math.Max(1, rows);
        var rowsPerSlab = Math.Max(1, SlabBytes / Math.Max(1, rowBytes));
        var slabBytes = (int)(Math.Min(rowsPerSlab, rows) * rowBytes);
        var a = ArrayPool<byte>.Shared.Rent(slabBytes);
        var b = ArrayPool<byte>.Shared.Rent(slabBytes);
        try
        {
            long changed = 0;
            double differenceSquares = 0, firstSquares = 0;
            for (long row = 0; row < rows; row += rowsPerSlab)
            {
                var count = Math.Min(rowsPerSlab, rows - row);
                var slice = shape.Length == 0 ? TensorSlice.Whole(shape) : Rows(shape, row, count);
                var length = (int)(count * rowBytes);
                await Task.WhenAll(
                    store.ReadSliceAsync(first, tensor.Name, slice, a.AsMemory(0, length), cancellationToken),
                    store.ReadSliceAsync(second, tensor.Name, slice, b.AsMemory(0, length), cancellationToken)).ConfigureAwait(false);
                var (slabChanged, slabDifference, slabFirst) = tensor.DataType == TensorDataType.Float32
                    ? CompareFloat32(a.AsSpan(0, length), b.AsSpan(0, length))
                    : CompareElements(a.AsSpan(0, length), b.AsSpan(0, length), tensor.DataType);
                changed += slabChanged;
                differenceSquares += slabDifference;
                firstSquares += slabFirst;
            }

            var relative = differenceSquares == 0 ? 0 : firstSquares == 0 ? double.PositiveInfinity : Math.Sqrt(differenceSquares) / Math.Sqrt(firstSquares);
            return Describe(tensor, changed == 0 ? TensorDifferenceKind.Same : TensorDifferenceKind.Changed, changed * elementSize, relative);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>Changed elements, Σ(b−a)² and Σa² of a slab, for any element type (decoded one by one).</summary>
    private static (long Changed, double DifferenceSquares, double FirstSquares) CompareElements(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, TensorDataType type)
    {
        var size = type.ElementSize();
        long changed = 0;
        double difference = 0, first = 0;
        for (var offset = 0; offset < a.Length; offset += size)
        {
            var x = a.Slice(offset, size);
            var y = b.Slice(offset, size);
            var vx = ElementValues.Read(x, type);
            first += vx * vx;
            if (x.SequenceEqual(y)) continue;
            changed++;
            var d = ElementValues.Read(y, type) - vx;
            difference += d * d;
        }

        return (changed, difference, first);
    }

    /// <summary>The same for float32, the common case, reading the slab as floats in place (the store is little-endian, as is every host we run on).</summary>
    private static (long Changed, double DifferenceSquares, double FirstSquares) CompareFloat32(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (!BitConverter.IsLittleEndian) return CompareElements(a, b, TensorDataType.Float32);
        var xs = MemoryMarshal.Cast<byte, float>(a);
        var ys = MemoryMarshal.Cast<byte, float>(b);
        var xBits = MemoryMarshal.Cast<byte, int>(a);
        var yBits = MemoryMarshal.Cast<byte, int>(b);
        long changed = 0;
        double difference = 0, first = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            first += x * x;
            if (xBits[i] == yBits[i]) continue;
            changed++;
            var d = ys[i] - x;
            difference += d * d;
        }

        return (changed, difference, first);
    }

    private static TensorSlice Rows(long[] shape, long row, long count)
    {
        var offsets = new long[shape.Length];
        var extents = shape.ToArray();
        offsets[0] = row;
        extents[0] = count;
        return new TensorSlice(offsets, extents);
    }

    private static TensorDifference Whole(CheckpointTensor tensor, TensorDifferenceKind kind) => Describe(tensor, kind, tensor.ByteLength, double.NaN);

    private static TensorDifference Describe(CheckpointTensor tensor, TensorDifferenceKind kind, long changedBytes, double relative) =>
        new(tensor.Name, kind, $"[{string.Join(", ", tensor.GlobalShape)}]", tensor.DataType.ToString(), tensor.ByteLength, changedBytes, relative);
}
