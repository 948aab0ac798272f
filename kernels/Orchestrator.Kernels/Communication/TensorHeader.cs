using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>A tensor's element type and shape as a fixed run of int64 values, so that peers can size what they receive.</summary>
internal static class TensorHeader
{
    public const int MaxDimensions = 8;

    /// <summary>Longs per header: element type, dimension count, then <see cref="MaxDimensions"/> sizes.</summary>
    public const int Length = 2 + MaxDimensions;

    public static void Write(Tensor tensor, Span<long> header)
    {
        if (tensor.dim() > MaxDimensions)
        {
            throw new ArgumentException($"Tensors sent across processes have at most {MaxDimensions} dimensions, got {tensor.dim()}.", nameof(tensor));
        }

        header.Clear();
        header[0] = (long)tensor.dtype;
        header[1] = tensor.dim();
        tensor.shape.CopyTo(header[2..]);
    }

    public static ScalarType TypeOf(ReadOnlySpan<long> header) => (ScalarType)header[0];

    public static long[] ShapeOf(ReadOnlySpan<long> header) => header.Slice(2, (int)header[1]).ToArray();

    public static long BytesOf(ReadOnlySpan<long> header)
    {
        using var probe = empty(1, TypeOf(header));
        var elements = 1L;
        foreach (var size in ShapeOf(header)) elements *= size;
        return elements * probe.element_size();
    }

    /// <summary>A new CPU tensor of the header's type and shape holding <paramref name="bytes"/>.</summary>
    public static Tensor Materialize(ReadOnlySpan<long> header, ReadOnlySpan<byte> bytes)
    {
        var tensor = empty(ShapeOf(header), TypeOf(header), CPU);
        if (!bytes.IsEmpty) bytes.CopyTo(tensor.bytes);
        return tensor;
    }
}
