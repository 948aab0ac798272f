using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Training;
using TorchSharp.Modules;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// What a checkpoint saves from and restores into on one rank.
/// </summary>
/// <param name="Groups">The rank's place in the grid.</param>
/// <param name="Parameters">The parameters the optimizer updates, in its order: the rank's partition, or for PipeDream-2BW the master copy holding the newest weights.</param>
/// <param name="Replicas">Further copies a restore overwrites, each in the order of <paramref name="Parameters"/>: PipeDream-2BW's two weight versions; empty otherwise.</param>
/// <param name="Optimizer">The rank's optimizer (its AdamW moments and step count).</param>
internal sealed record RankTrainingState(
    ProcessGroups Groups,
    IReadOnlyList<PartitionParameter> Parameters,
    IReadOnlyList<IReadOnlyList<Parameter>> Replicas,
    DistributedOptimizer Optimizer);
