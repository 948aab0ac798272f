using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Parallel;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Kernels.Training;
using Orchestrator.Workloads.Checkpointing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// The ranks of a (t, p, d, e) layout that this process hosts (all, or one node's share of a network world), as threads: each builds only its own GPT partition (its pipeline
/// stage's chunks, its tensor shards, its expert-parallel slice of the experts) from the shared seed, steps with the
/// kernels' distributed optimizer (bucketed data-parallel averaging, expert gradients over the expert-data group,
/// global-norm clipping, AdamW) and talks to its pipeline neighbours through the communicator. (1,1,1,1) is the same
/// path with one rank.
/// </summary>
internal sealed class PartitionedRanks : ITrainingRanks
{
    private readonly IRankWorld _world;
    private readonly Dictionary<int, Rank> _ranks;

    /// <param name="options">What to train.</param>
    /// <param name="device">Where the local ranks' tensors live.</param>
    /// <param name="createWorld">The ranks' world for the validated grid: in-process, or this process's share of a network world.</param>
    public PartitionedRanks(TrainingOptions options, Device device, Func<ParallelGrid, IRankWorld> createWorld)
    {
        var grid = options.Grid();
        var config = TrainedModel(options);
        var partitionOptions = new GptPartitionOptions(options.VirtualStages, options.SequenceParallel, RecomputationOf(options.Recompute));
        // Checked for the whole grid before any rank allocates a tensor.
        GptPartitioning.Validate(config, grid, partitionOptions);
        _world = createWorld(grid);
        var kind = PipelineScheduleNames.Parse(options.Schedule, nameof(options.Schedule));
        var adamW = new AdamWOptions(options.LearningRate, WeightDecay: WeightDecay);
        var dataParallel = new DataParallelOptions(ShardOptimizerState: options.ShardOptimizerState, MaxGradientNorm: ClipNorm);

        _ranks = _world.LocalRanks.ToDictionary(r => r, r =>
        {
            var groups = _world.GroupsOf(r);
            var transport = new CommunicatorPipelineTransport(groups.Pipeline);
            var partition = new GptPartition(config, groups, partitionOptions, options.Seed, device);
            var reports = groups.IsLastStage && groups.Coordinates.Tensor == 0;
            if (kind != PipelineScheduleKind.PipeDream2BW)
            {
                var optimizer = new DistributedOptimizer(partition.Parameters, groups, adamW, dataParallel);
                var model = new FlushingStageModel(partition, _ => optimizer.Step());
                var state = new RankTrainingState(groups, partition.Parameters, [], optimizer);
                return new Rank(groups, reports, model, transport, [partition], null, state);
            }

            // 2BW keeps a second copy of the rank's weights; the optimizer works on the master copy, which holds the
            // newest weights and is what a checkpoint saves (both versions are overwritten on restore).
            var second = new GptPartition(config, groups, partitionOptions, options.Seed, device);
            RankTrainingState? masterState = null;
            var twoVersions = new PipeDream2BWStageModel(partition, second, master =>
            {
                var masterParameters = partition.Parameters.Zip(master, (p, m) => p with { Value = m }).ToList();
                var optimizer = new DistributedOptimizer(masterParameters, groups, adamW, dataParallel);
                masterState = new RankTrainingState(
                    groups, masterParameters, [VersionOf(partition), VersionOf(second)], optimizer);
                return () => optimizer.Step();
            });
            return new Rank(groups, reports, twoVersions, transport, [partition, second], twoVersions, masterState!);
        });
        States = _world.LocalRanks.Select(r => _ranks[r].State).ToArray();

        static IReadOnlyList<Parameter> VersionOf(GptPartition replica) => replica.Parameters.Select(p => p.Value).ToList();
    }

    /// <summary>Gradients are clipped to this global norm before each step (GPT-2/Megatron-LM practice).</summary>
    public const double ClipNorm = 1.0;

    public const double WeightDecay = 0.01;

    public IReadOnlyList<int> LocalRanks => _world.LocalRanks;

    public ProcessGroups GroupsOf(int rank) => _ranks[rank].Groups;

    public int DataParallelRankOf(int rank) => _ranks[rank].Groups.Coordinates.Data;

    public bool ReportsLoss(int rank) => _ranks[rank].ReportsLoss;

    public IPipelineStageModel ModelOf(int rank) => _ranks[rank].Model;

    public IPipelineTransport TransportOf(int rank) => _ranks[rank].Transport;

    public IReadOnlyList<RankTrainingState> States { get; }

    public void Run(Action<int, CancellationToken> body) =>
        _world.Run(groups =>
        {
            body(groups.GlobalRank, CancellationToken.None);
            return true;
        });

    public void RestartWeightVersions()
    {
        foreach (var rank in _ranks.Values) rank.TwoVersions?.Restart();
    }

    public void Dispose()
    {
        foreach (var rank in _ranks.Values)
        {
            rank.TwoVersions?.Dispose();
            foreach (var partition in rank.Partitions) partition.Dispose();
        }

        _world.Dispose();
    }

    /// <summary>
    /// The model the ranks build: <see cref="TrainingOptions.ModelConfig"/> with the MoE regularisation coefficients
    /// divided by the micro-batches per replica. The kernels join each micro-batch's regularisation loss to the MoE
    /// output's backward with gradient 1, while the executor divides each micro-batch's language-model loss by the
    /// micro-batch count; dividing the coefficients makes the step's gradient that of (mean LM loss + coefficient ·
    /// mean regularisation loss) over the replica's micro-batches, as Megatron-LM's aux-loss scaler does, and so the
    /// same on every layout (data-parallel averaging then takes the mean over all micro-batches of the global batch).
    /// </summary>
    private static GptConfig TrainedModel(TrainingOptions options)
    {
        var config = options.ModelConfig();
        return config.Moe is { } moe
            ? config with
            {
                Moe = moe with
                {
                    AuxiliaryLossCoefficient = moe.AuxiliaryLossCoefficient / options.MicroBatches,
                    ZLossCoefficient = moe.ZLossCoefficient / options.MicroBatches,
                },
            }
            : config;
    }

    public static RecomputationMode RecomputationOf(string name) => name.ToLowerInvariant() switch
    {
        "none" => RecomputationMode.None,
        "selective" => RecomputationMode.Selective,
        "full" => RecomputationMode.Full,
        _ => throw new ArgumentException($"Recompute '{name}' is not a recomputation mode; allowed: none, selective, full", nameof(name)),
    };

    private sealed record Rank(
        ProcessGroups Groups, bool ReportsLoss, IPipelineStageModel Model, IPipelineTransport Transport,
        IReadOnlyList<GptPartition> Partitions, PipeDream2BWStageModel? TwoVersions, RankTrainingState State);
}
