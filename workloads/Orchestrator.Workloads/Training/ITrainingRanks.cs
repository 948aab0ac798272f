using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Workloads.Checkpointing;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// The ranks of one training run in this process: for each, its data-parallel replica and the model and transport
/// the pipeline executor drives. Ranks are numbered in Megatron-LM's order: tensor fastest, then data, then pipeline.
/// </summary>
internal interface ITrainingRanks : IDisposable
{
    /// <summary>World ranks this process hosts (all of them unless the run is split over processes).</summary>
    IReadOnlyList<int> LocalRanks { get; }

    /// <summary>The groups of local rank <paramref name="rank"/>.</summary>
    ProcessGroups GroupsOf(int rank);

    int DataParallelRankOf(int rank);

    /// <summary>True for the ranks whose losses are reported: last pipeline stage, tensor rank 0, one per replica.</summary>
    bool ReportsLoss(int rank);

    IPipelineStageModel ModelOf(int rank);

    IPipelineTransport TransportOf(int rank);

    /// <summary>Each local rank's parameters, weight copies and optimizer, in <see cref="LocalRanks"/> order: what a checkpoint saves and restores.</summary>
    IReadOnlyList<RankTrainingState> States { get; }

    /// <summary>Runs <paramref name="body"/> on every local rank, each on its own thread; rethrows the first failure.</summary>
    void Run(Action<int, CancellationToken> body);

    /// <summary>Before a new PipeDream-2BW schedule: its first batches use the newest weights.</summary>
    void RestartWeightVersions();
}
