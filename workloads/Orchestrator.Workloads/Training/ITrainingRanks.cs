using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// The ranks of one training run in this process: for each, its pipeline stage, data-parallel replica and the model
/// the executor drives. Ranks are numbered in Megatron-LM's order: tensor fastest, then data, then pipeline.
/// </summary>
internal interface ITrainingRanks : IDisposable
{
    int WorldSize { get; }

    int PipelineStageOf(int rank);

    int DataParallelRankOf(int rank);

    /// <summary>True for the one rank per (pipeline stage, replica) whose losses are reported (tensor rank 0).</summary>
    bool ReportsLoss(int rank);

    IPipelineStageModel ModelOf(int rank);

    /// <summary>Rank <paramref name="rank"/>'s end of its pipeline's point-to-point messages.</summary>
    IPipelineTransport TransportOf(int rank);
}
