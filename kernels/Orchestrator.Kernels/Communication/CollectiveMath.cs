using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// How contributions combine, shared by the in-process and cross-process communicators so that both compute the same
/// thing in the same order (every member gets bit-identical results).
/// </summary>
internal static class CollectiveMath
{
    /// <summary>Combines <paramref name="contributions"/> in order into a new tensor on <paramref name="device"/>.</summary>
    public static Tensor Reduce(IReadOnlyList<Tensor> contributions, ReduceOperation operation, Device device)
    {
        var result = contributions[0].to(device).clone();
        for (var i = 1; i < contributions.Count; i++)
        {
            // to() returns a new handle even on the same device; disposed here so that nothing of another rank's
            // contribution outlives the collective on this thread.
            using var other = contributions[i].to(device);
            if (operation == ReduceOperation.Max)
            {
                var larger = result.maximum(other);
                result.Dispose();
                result = larger;
            }
            else
            {
                result.add_(other);
            }
        }

        return operation == ReduceOperation.Average ? result.div_(contributions.Count) : result;
    }

    /// <summary>Member <paramref name="member"/>'s part of the reduction of <paramref name="contributions"/> split along <paramref name="dimension"/>.</summary>
    public static Tensor ReduceChunk(IReadOnlyList<Tensor> contributions, int member, long dimension, ReduceOperation operation, Device device)
    {
        var part = contributions[0].shape[dimension] / contributions.Count;
        var chunks = contributions.Select(t => t.narrow(dimension, member * part, part)).ToList();
        try
        {
            return Reduce(chunks, operation, device);
        }
        finally
        {
            chunks.ForEach(c => c.Dispose());
        }
    }

    public static Tensor Concatenate(IReadOnlyList<Tensor> contributions, long dimension, Device device)
    {
        var onDevice = contributions.Select(t => t.to(device)).ToList();
        try
        {
            return cat(onDevice, dimension);
        }
        finally
        {
            onDevice.ForEach(t => t.Dispose());
        }
    }

    public static void RequireDivisible(Tensor tensor, long dimension, int size)
    {
        var length = tensor.shape[dimension];
        if (length % size != 0)
        {
            throw new ArgumentException(
                $"ReduceScatter needs dimension {dimension} ({length}) to be divisible by the group size ({size}).", nameof(tensor));
        }
    }
}
