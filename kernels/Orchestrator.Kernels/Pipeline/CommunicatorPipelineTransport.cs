using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Carries pipeline messages over a rank's pipeline-parallel <see cref="ICommunicator"/> (member index = stage).
/// Each message key becomes its own tag, so activations and gradients of different micro-batches and chunks never
/// mix even when a rank receives them in another order than they were sent.
/// </summary>
public sealed class CommunicatorPipelineTransport : IPipelineTransport
{
    private readonly ICommunicator _pipeline;
    private readonly int _virtualStages;

    /// <param name="pipeline">The rank's pipeline group (<see cref="ProcessGroups.Pipeline"/>).</param>
    /// <param name="virtualStages">Virtual stages in the model (stages × chunks per rank), to number tags.</param>
    public CommunicatorPipelineTransport(ICommunicator pipeline, int virtualStages)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualStages, 1);
        _virtualStages = virtualStages;
    }

    /// <inheritdoc />
    public int Stage => _pipeline.Rank;

    /// <inheritdoc />
    public void Send(int destinationStage, PipelineMessageKey key, Tensor tensor) =>
        _pipeline.Send(tensor.detach(), destinationStage, Tag(key));

    /// <inheritdoc />
    /// <remarks>The communicator wakes a waiting receive itself when another rank of the world fails.</remarks>
    public Tensor Receive(int sourceStage, PipelineMessageKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _pipeline.Receive(sourceStage, Tag(key));
    }

    private int Tag(PipelineMessageKey key) =>
        checked(((key.MicroBatch * _virtualStages) + key.VirtualStage) * 2 + (key.Gradient ? 1 : 0));
}
