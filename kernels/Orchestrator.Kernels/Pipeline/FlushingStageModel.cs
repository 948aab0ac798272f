using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// The stage model for the flushing schedules (GPipe, 1F1B, interleaved): one set of weights, updated by
/// <c>optimizerStep</c> once the whole batch has drained.
/// </summary>
public sealed class FlushingStageModel : IPipelineStageModel
{
    private readonly IPipelineStageReplica _replica;
    private readonly Action<IReadOnlyList<Parameter>> _optimizerStep;

    /// <param name="replica">The rank's chunks.</param>
    /// <param name="optimizerStep">Reduces gradients across data-parallel replicas if any, steps, and zeroes them.</param>
    public FlushingStageModel(IPipelineStageReplica replica, Action<IReadOnlyList<Parameter>> optimizerStep)
    {
        _replica = replica ?? throw new ArgumentNullException(nameof(replica));
        _optimizerStep = optimizerStep ?? throw new ArgumentNullException(nameof(optimizerStep));
    }

    /// <inheritdoc />
    public Tensor Forward(int chunk, int weightVersion, Tensor input, Tensor? targets)
    {
        if (weightVersion != 0)
            throw new ArgumentException($"a flushing schedule has one weight version, got {weightVersion}", nameof(weightVersion));
        return _replica.Forward(chunk, input, targets);
    }

    /// <inheritdoc />
    public void OptimizerStep(int createdVersion) => _optimizerStep(_replica.Parameters);
}
