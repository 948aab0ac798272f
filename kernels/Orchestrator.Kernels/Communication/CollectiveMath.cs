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
            // Not disposed: to() returns the contribution itself when it is already on the device.
            var other = contributions[i].to(device);
            if (operation == ReduceOperation.Max)
            {
                result = result.maximum(other);
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

    public static Tensor Concatenate(IReadOnlyList<Tensor> contributions, long dimension, Device device) =>
        cat(contributions.Select(t => t.to(device)).ToList(), dimension);

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
