using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Where one rank's shard of a parameter sits in the full tensor: an offset and an extent per dimension. Tensor
/// parallelism splits <see cref="PartitionParameter.ShardDimension"/> evenly in tensor-rank order; expert weights are
/// split along dimension 0 (experts) in expert-rank order; everything else is the whole tensor.
/// </summary>
/// <param name="Offsets">Start in the full tensor, per dimension.</param>
/// <param name="Extents">Size, per dimension; equal to the shard's shape.</param>
internal sealed record ParameterBox(long[] Offsets, long[] Extents)
{
    /// <summary>Bytes of the box at 4 bytes per element (float32).</summary>
    public long ByteLength => Extents.Aggregate(4L, (product, extent) => product * extent);

    /// <summary>The box of <paramref name="parameter"/> on the rank with <paramref name="groups"/>.</summary>
    /// <exception cref="InvalidOperationException">The shard's shape is not the box the layout implies.</exception>
    public static ParameterBox Of(PartitionParameter parameter, ProcessGroups groups)
    {
        var offsets = new long[parameter.FullShape.Length];
        var extents = parameter.FullShape.ToArray();
        if (parameter.ShardDimension >= 0)
        {
            Split(parameter.ShardDimension, groups.Tensor.Rank, groups.Grid.TensorParallelSize);
        }

        if (parameter.IsExpert)
        {
            Split(0, groups.Expert.Rank, groups.Grid.ExpertParallelSize);
        }

        var shape = parameter.Value.shape;
        if (!shape.SequenceEqual(extents))
        {
            throw new InvalidOperationException(
                $"parameter '{parameter.Name}' on rank {groups.GlobalRank} has shape [{string.Join(", ", shape)}], but the layout implies the box [{string.Join(", ", extents)}] of [{string.Join(", ", parameter.FullShape)}]");
        }

        return new ParameterBox(offsets, extents);

        void Split(int dimension, int part, int parts)
        {
            extents[dimension] = parameter.FullShape[dimension] / parts;
            offsets[dimension] = part * extents[dimension];
        }
    }

    /// <summary>
    /// Whether this rank saves its shard of <paramref name="parameter"/>, so that every element is saved exactly
    /// once: tensor-replicated parameters from tensor rank 0, dense ones from data rank 0, expert weights from
    /// expert-data rank 0, and the tied copy of the word embedding never (the first stage saves it).
    /// </summary>
    public static bool IsSavedBy(PartitionParameter parameter, ProcessGroups groups) =>
        !parameter.IsTiedCopy
        && (parameter.ShardDimension >= 0 || groups.Tensor.Rank == 0)
        && (parameter.IsExpert ? groups.ExpertData.Rank : groups.Data.Rank) == 0;
}
