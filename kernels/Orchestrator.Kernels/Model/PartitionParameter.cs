using TorchSharp.Modules;

namespace Orchestrator.Kernels.Model;

/// <summary>One parameter a rank holds, with what the optimizer and checkpoints need to know about it.</summary>
/// <param name="Name">Canonical name in the full model (<see cref="GptParameterNames"/>).</param>
/// <param name="Value">This rank's shard.</param>
/// <param name="FullShape">Shape in the full model.</param>
/// <param name="ShardDimension">Dimension split over the tensor-parallel group, or -1 when each tensor rank holds all of it.</param>
/// <param name="SumGradientOverTensorGroup">
/// True for parameters every tensor rank holds whose gradient each rank only sees in part (sequence parallelism):
/// the gradients are summed over the tensor-parallel group.
/// </param>
/// <param name="IsTiedCopy">
/// True for the last stage's copy of the word embedding when it lives apart from the first stage's: its gradient is
/// summed with the first stage's, and it is left out of norms and checkpoints so it is not counted twice.
/// </param>
/// <param name="IsExpert">True for expert weights of MoE layers: averaged over the expert-data group instead of the data group.</param>
public sealed record PartitionParameter(
    string Name,
    Parameter Value,
    long[] FullShape,
    int ShardDimension,
    bool SumGradientOverTensorGroup,
    bool IsTiedCopy,
    bool IsExpert = false);
