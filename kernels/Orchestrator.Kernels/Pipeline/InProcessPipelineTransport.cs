using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Mailboxes for the ranks of one pipeline running as threads of one process. Each (source, destination, key) has a
/// FIFO queue, so a key reused by the next batch cannot overtake the previous one.
/// </summary>
public sealed class InProcessPipelineTransport
{
    private readonly ConcurrentDictionary<(int Source, int Destination, PipelineMessageKey Key), BlockingCollection<Tensor>> _queues = new();

    /// <param name="stages">Ranks in the pipeline.</param>
    public InProcessPipelineTransport(int stages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        Stages = stages;
    }

    /// <summary>Ranks in the pipeline.</summary>
    public int Stages { get; }

    /// <summary>The transport as seen by pipeline rank <paramref name="stage"/>.</summary>
    public IPipelineTransport ForStage(int stage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stage, Stages);
        return new Endpoint(this, stage);
    }

    private BlockingCollection<Tensor> Queue(int source, int destination, PipelineMessageKey key) =>
        _queues.GetOrAdd((source, destination, key), _ => new BlockingCollection<Tensor>());

    private sealed class Endpoint(InProcessPipelineTransport owner, int stage) : IPipelineTransport
    {
        public int Stage => stage;

        public void Send(int destinationStage, PipelineMessageKey key, Tensor tensor)
        {
            // The copy must outlive the sender's dispose scope: it is handed to another thread.
            var copy = tensor.detach().clone();
            copy.DetachFromDisposeScope();
            owner.Queue(stage, destinationStage, key).Add(copy);
        }

        public Tensor Receive(int sourceStage, PipelineMessageKey key, CancellationToken cancellationToken)
        {
            using var message = owner.Queue(sourceStage, stage, key).Take(cancellationToken);
            // Cloned on the receiving thread so it joins the receiver's dispose scope.
            return message.clone();
        }
    }
}
