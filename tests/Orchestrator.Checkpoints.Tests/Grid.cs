using Orchestrator.Checkpoints.Reading;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// Test oracle for resharding: cuts a shape into a grid of boxes, and extracts a box's row-major bytes from a
/// global buffer element by element (deliberately naive, so it shares nothing with the store's run-merging copy).
/// </summary>
internal static class Grid
{
    /// <summary>Boxes of a grid with <paramref name="pieces"/>[d] nearly equal pieces along dimension d (the last piece takes the remainder).</summary>
    public static IReadOnlyList<TensorSlice> Split(long[] shape, int[] pieces)
    {
        var perDimension = shape.Select((extent, d) => Enumerable.Range(0, pieces[d]).Select(i =>
        {
            var size = extent / pieces[d];
            var start = i * size;
            return (Start: start, Length: i == pieces[d] - 1 ? extent - start : size);
        }).ToArray()).ToArray();
        IEnumerable<(long[] Offsets, long[] Extents)> boxes = [([], [])];
        foreach (var ranges in perDimension)
        {
            boxes = boxes.SelectMany(box => ranges.Select(r => (box.Offsets.Append(r.Start).ToArray(), box.Extents.Append(r.Length).ToArray())));
        }

        return boxes.Select(b => new TensorSlice(b.Offsets, b.Extents)).ToList();
    }

    public static byte[] Extract(byte[] global, long[] shape, int elementSize, TensorSlice box)
    {
        var result = new byte[box.ElementCount * elementSize];
        var index = new long[shape.Length];
        for (long element = 0; element < box.ElementCount; element++)
        {
            // Unravel the element's index inside the box, then ravel its global position.
            var rest = element;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = rest % box.Extents[d];
                rest /= box.Extents[d];
            }

            long globalElement = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                globalElement = globalElement * shape[d] + box.Offsets[d] + index[d];
            }

            Array.Copy(global, globalElement * elementSize, result, element * elementSize, elementSize);
        }

        return result;
    }
}
