using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// The region operators of Megatron-LM tensor parallelism (f and g in the paper) and their sequence-parallel
/// counterparts, as autograd functions over a tensor-parallel group. With one rank they are the identity.
/// </summary>
internal static class TensorParallelRegions
{
    /// <summary>Forward identity, backward all-reduce: enters a column-parallel region with a replicated input.</summary>
    public static Tensor CopyTo(Tensor input, ICommunicator group) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(input, x => x.alias(), g => SummedCopy(g, group));

    /// <summary>Forward all-reduce, backward identity: leaves a row-parallel region with partial sums.</summary>
    public static Tensor ReduceFrom(Tensor input, ICommunicator group) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(input, x => SummedCopy(x, group), g => g.alias());

    /// <summary>Forward keeps this rank's chunk along <paramref name="dimension"/>, backward all-gathers.</summary>
    public static Tensor ScatterTo(Tensor input, ICommunicator group, long dimension) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(input, x => OwnChunk(x, group, dimension), g => group.AllGather(g.contiguous(), dimension));

    /// <summary>Forward all-gathers along <paramref name="dimension"/>, backward keeps this rank's chunk.</summary>
    public static Tensor GatherFrom(Tensor input, ICommunicator group, long dimension) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(input, x => group.AllGather(x.contiguous(), dimension), g => OwnChunk(g, group, dimension));

    /// <summary>Sequence parallelism's g: forward all-gathers the sequence, backward reduce-scatters it.</summary>
    public static Tensor GatherFromSequence(Tensor input, ICommunicator group, long dimension) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(
            input, x => group.AllGather(x.contiguous(), dimension), g => group.ReduceScatter(g.contiguous(), dimension));

    /// <summary>Sequence parallelism's g-bar: forward reduce-scatters the sequence, backward all-gathers it.</summary>
    public static Tensor ReduceScatterToSequence(Tensor input, ICommunicator group, long dimension) => group.Size == 1
        ? input
        : CommunicationFunction.Apply(
            input, x => group.ReduceScatter(x.contiguous(), dimension), g => group.AllGather(g.contiguous(), dimension));

    private static Tensor SummedCopy(Tensor x, ICommunicator group)
    {
        var result = x.clone();
        group.AllReduce(result);
        return result;
    }

    private static Tensor OwnChunk(Tensor x, ICommunicator group, long dimension)
    {
        var length = x.shape[dimension];
        if (length % group.Size != 0)
        {
            throw new ArgumentException($"Dimension {dimension} ({length}) does not split evenly over {group.Size} tensor-parallel ranks.");
        }

        var part = length / group.Size;
        return x.narrow(dimension, group.Rank * part, part).contiguous();
    }
}
