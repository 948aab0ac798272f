using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Point-to-point tensor messages between the ranks of one pipeline, seen from one rank. The schedules assume sends
/// do not wait for their receiver, so an implementation must buffer (or post them asynchronously, as NCCL isend does).
/// </summary>
public interface IPipelineTransport
{
    /// <summary>This rank's position in the pipeline.</summary>
    int Stage { get; }

    /// <summary>Sends a copy of <paramref name="tensor"/>; returns without waiting for the receiver.</summary>
    void Send(int destinationStage, PipelineMessageKey key, Tensor tensor);

    /// <summary>Waits for the message <paramref name="key"/> from <paramref name="sourceStage"/>; the caller owns the result.</summary>
    Tensor Receive(int sourceStage, PipelineMessageKey key, CancellationToken cancellationToken);
}
