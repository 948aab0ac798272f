namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The (tensor, pipeline, data, expert) process grid, with Megatron-LM's rank order: tensor fastest, then data, then
/// pipeline, so that world rank = t + T·(d + D·p). Expert-parallel ranks are drawn from consecutive data-parallel ranks.
/// </summary>
/// <param name="TensorParallelSize">Ranks that split each layer's matrices.</param>
/// <param name="PipelineParallelSize">Stages, each holding a contiguous range of layers.</param>
/// <param name="DataParallelSize">Replicas that split the batch.</param>
/// <param name="ExpertParallelSize">Ranks, drawn from the data-parallel ones, that split the experts; divides the data size.</param>
public sealed record ParallelGrid(int TensorParallelSize = 1, int PipelineParallelSize = 1, int DataParallelSize = 1, int ExpertParallelSize = 1)
{
    /// <summary>Ranks in the grid.</summary>
    public int WorldSize => TensorParallelSize * PipelineParallelSize * DataParallelSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first size that is out of range.</summary>
    public ParallelGrid Validate()
    {
        Require(TensorParallelSize >= 1, nameof(TensorParallelSize), $"must be at least 1, got {TensorParallelSize}");
        Require(PipelineParallelSize >= 1, nameof(PipelineParallelSize), $"must be at least 1, got {PipelineParallelSize}");
        Require(DataParallelSize >= 1, nameof(DataParallelSize), $"must be at least 1, got {DataParallelSize}");
        Require(ExpertParallelSize >= 1, nameof(ExpertParallelSize), $"must be at least 1, got {ExpertParallelSize}");
        Require(
            DataParallelSize % ExpertParallelSize == 0,
            nameof(ExpertParallelSize),
            $"({ExpertParallelSize}) must divide {nameof(DataParallelSize)} ({DataParallelSize}): expert ranks are drawn from data-parallel ranks");
        return this;
    }

    /// <summary>Where world rank <paramref name="rank"/> sits in the grid.</summary>
    public RankCoordinates CoordinatesOf(int rank)
    {
        if (rank < 0 || rank >= WorldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {WorldSize}).");
        }

        var tensor = rank % TensorParallelSize;
        var data = rank / TensorParallelSize % DataParallelSize;
        var pipeline = rank / (TensorParallelSize * DataParallelSize);
        return new RankCoordinates(tensor, pipeline, data);
    }

    /// <summary>The world rank at the given grid position.</summary>
    public int RankOf(int tensor, int pipeline, int data) =>
        tensor + (TensorParallelSize * (data + (DataParallelSize * pipeline)));

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"ParallelGrid.{field} {message}.", field);
        }
    }
}
