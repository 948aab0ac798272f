using TorchSharp;
using Orchestrator.Kernels.Parallel;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Runs one pipeline rank's program from a <see cref="PipelineSchedule"/>: receives, forwards, sends, backwards and
/// optimizer steps in exactly the generated order. One executor per rank, each on its own thread.
/// </summary>
public sealed class PipelineExecutor
{
    private readonly PipelineSchedule _schedule;
    private readonly IPipelineStageModel _model;
    private readonly IPipelineTransport _transport;

    /// <param name="schedule">The schedule all ranks of the pipeline run.</param>
    /// <param name="model">This rank's chunks and optimizer.</param>
    /// <param name="transport">This rank's end of the pipeline's point-to-point messages.</param>
    public PipelineExecutor(PipelineSchedule schedule, IPipelineStageModel model, IPipelineTransport transport)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(transport);
        if (transport.Stage < 0 || transport.Stage >= schedule.Options.Stages)
            throw new ArgumentException($"transport stage {transport.Stage} is outside the schedule's {schedule.Options.Stages} stages", nameof(transport));
        _schedule = schedule;
        _model = model;
        _transport = transport;
    }

    /// <summary>This rank's pipeline stage.</summary>
    public int Stage => _transport.Stage;

    /// <summary>
    /// Runs the rank's program once. Each micro-batch's loss is divided by the micro-batches per batch before
    /// backward, so a batch's accumulated gradient is that of its mean loss.
    /// </summary>
    public PipelineRunResult Run(IPipelineBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var options = _schedule.Options;
        var lastVirtualStage = _schedule.VirtualStageCount - 1;
        var inputs = new Dictionary<(int, int), Tensor>();
        var outputs = new Dictionary<(int, int), Tensor>();
        var gradients = new Dictionary<(int, int), Tensor>();
        var inputGradients = new Dictionary<(int, int), Tensor>();
        var losses = new Dictionary<int, double>();
        var maxInFlight = 0;

        using var scope = NewDisposeScope();
        foreach (var op in _schedule.For(Stage))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = (op.MicroBatch, op.Chunk);
            var virtualStage = _schedule.VirtualStageOf(Stage, op.Chunk);
            switch (op.Kind)
            {
                case PipelineOperationKind.ReceiveActivation:
                    inputs[key] = _transport.Receive(op.PeerStage, new(false, op.MicroBatch, virtualStage), cancellationToken).requires_grad_();
                    break;
                case PipelineOperationKind.Forward:
                {
                    var input = virtualStage == 0 ? batch.Inputs(op.MicroBatch) : inputs[key];
                    var targets = virtualStage == lastVirtualStage ? batch.Targets(op.MicroBatch) : null;
                    var output = _model.Forward(op.Chunk, op.WeightVersion, input, targets);
                    if (targets is not null)
                    {
                        losses[op.MicroBatch] = output.item<float>();
                        output = output / options.MicroBatches;
                    }

                    outputs[key] = output;
                    maxInFlight = Math.Max(maxInFlight, outputs.Count);
                    break;
                }
                case PipelineOperationKind.SendActivation:
                    _transport.Send(op.PeerStage, new(false, op.MicroBatch, virtualStage + 1), outputs[key]);
                    break;
                case PipelineOperationKind.ReceiveGradient:
                    gradients[key] = _transport.Receive(op.PeerStage, new(true, op.MicroBatch, virtualStage), cancellationToken);
                    break;
                case PipelineOperationKind.Backward:
                    Backward(key, virtualStage == lastVirtualStage, outputs, gradients, inputs, inputGradients);
                    break;
                case PipelineOperationKind.SendGradient:
                    _transport.Send(op.PeerStage, new(true, op.MicroBatch, virtualStage - 1), inputGradients[key]);
                    inputGradients.Remove(key, out var sent);
                    sent!.Dispose();
                    break;
                case PipelineOperationKind.OptimizerStep:
                    _model.OptimizerStep(op.WeightVersion);
                    break;
                case PipelineOperationKind.WeightVersionSwitch:
                    // Versions travel on each forward and backward; the switch matters to the simulator's bookkeeping
                    // and marks where the older version stops being read by forwards.
                    break;
            }
        }

        return new PipelineRunResult(losses, maxInFlight);
    }

    private static void Backward(
        (int, int) key, bool isLastStage,
        Dictionary<(int, int), Tensor> outputs, Dictionary<(int, int), Tensor> gradients,
        Dictionary<(int, int), Tensor> inputs, Dictionary<(int, int), Tensor> inputGradients)
    {
        outputs.Remove(key, out var output);
        if (isLastStage)
        {
            BackwardFailures.Backward(() => output!.backward());
        }
        else
        {
            gradients.Remove(key, out var gradient);
            try
            {
                BackwardFailures.Backward(() => output!.backward([gradient!]));
            }
            finally
            {
                gradient!.Dispose();
            }
        }

        // Free the graph's saved activations now: this, not the schedule, is what bounds memory per in-flight micro-batch.
        output!.Dispose();
        if (inputs.Remove(key, out var input))
        {
            inputGradients[key] = input.grad ?? throw new InvalidOperationException(
                $"stage input of micro-batch {key.Item1}, chunk {key.Item2} got no gradient; does the chunk use its input?");
            input.Dispose();
        }
    }
}
