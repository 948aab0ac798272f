using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Moves a float32 tensor's row-major bytes between host memory and the tensor without an intermediate copy when
/// the tensor is on the CPU: the bytes are read from and written to the tensor's own memory.
/// </summary>
internal static class HostTensorBytes
{
    /// <summary>
    /// A tensor whose memory <see cref="CopyOut"/> can read: <paramref name="tensor"/> itself (detached) when it is a
    /// contiguous CPU tensor, otherwise a contiguous host copy. The caller disposes it.
    /// </summary>
    public static Tensor Readable(Tensor tensor)
    {
        var detached = tensor.detach();
        if (detached.device_type == DeviceType.CPU && detached.is_contiguous())
        {
            return detached;
        }

        using (detached)
        {
            using var host = detached.to(CPU);
            return host.contiguous();
        }
    }

    /// <summary>Copies <c>destination.Length</c> bytes starting at <paramref name="byteOffset"/> of a readable tensor.</summary>
    public static void CopyOut(Tensor readable, long byteOffset, Span<byte> destination)
    {
        var elementSize = readable.element_size();
        var first = byteOffset / elementSize;
        var end = (byteOffset + destination.Length + elementSize - 1) / elementSize;
        // A span over native memory is limited to 2 GiB, so take it over just the elements this copy needs.
        using var flat = readable.view(-1);
        using var range = flat.narrow(0, first, end - first);
        range.bytes.Slice((int)(byteOffset - (first * elementSize)), destination.Length).CopyTo(destination);
    }

    /// <summary>Overwrites <paramref name="rows"/> rows of <paramref name="tensor"/> from <paramref name="firstRow"/> with row-major <paramref name="source"/> bytes.</summary>
    public static void CopyIn(ReadOnlySpan<byte> source, Tensor tensor, long firstRow, long rows)
    {
        using var detached = tensor.detach();
        using var target = detached.narrow(0, firstRow, rows);
        if (source.Length != target.numel() * target.element_size())
        {
            throw new ArgumentException($"{source.Length} bytes do not fill {rows} rows of a tensor of shape [{string.Join(", ", tensor.shape)}]", nameof(source));
        }

        if (target.device_type == DeviceType.CPU && target.is_contiguous())
        {
            source.CopyTo(target.bytes);
            return;
        }

        using var staging = empty(target.shape, target.dtype, CPU);
        source.CopyTo(staging.bytes);
        using var _ = no_grad();
        target.copy_(staging);
    }
}
