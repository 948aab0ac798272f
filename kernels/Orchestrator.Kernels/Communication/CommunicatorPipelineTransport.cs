using Orchestrator.Kernels.Pipeline;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The pipeline executor's point-to-point messages over a rank's pipeline group: the message key becomes the tag, so
/// activations and gradients of different micro-batches and virtual stages never mix.
/// </summary>
public sealed class CommunicatorPipelineTransport : IPipelineTransport
{
    // Tags pack (micro-batch, virtual stage, direction); virtual stages stay far below this bound.
    private const int VirtualStageBound = 1 << 12;
    private readonly ICommunicator pipeline;

    /// <summary>Sends and receives over <paramref name="pipeline"/>, whose member index is the pipeline stage.</summary>
    public CommunicatorPipelineTransport(ICommunicator pipeline)
    {
        this.pipeline = pipeline;
    }

    /// <inheritdoc />
    public int Stage => pipeline.Rank;

    /// <inheritdoc />
    public void Send(int destinationStage, PipelineMessageKey key, Tensor tensor) =>
        pipeline.Send(tensor, destinationStage, Tag(key));

    /// <inheritdoc />
    public Tensor Receive(int sourceStage, PipelineMessageKey key, CancellationToken cancellationToken) =>
        pipeline.Receive(sourceStage, Tag(key), cancellationToken);

    private static int Tag(PipelineMessageKey key)
    {
        if (key.VirtualStage is < 0 or >= VirtualStageBound)
        {
            throw new ArgumentOutOfRangeException(nameof(key), key.VirtualStage, $"virtual stages must be below {VirtualStageBound}.");
        }

        return checked((((key.MicroBatch * VirtualStageBound) + key.VirtualStage) * 2) + (key.Gradient ? 1 : 0));
    }
}
