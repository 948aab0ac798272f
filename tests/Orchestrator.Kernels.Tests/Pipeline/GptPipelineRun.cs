using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Kernels.Training;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>
/// One rank's view of a GPT trained under a pipeline schedule: the losses it reported (last stage, tensor rank 0),
/// the full-shape gradients of the first step (after data-parallel averaging, before clipping) and the weights at the
/// end, gathered over its tensor group; tied copies are keyed "tied:NAME".
/// </summary>
internal sealed record GptPipelineRun(IReadOnlyList<double> FirstStepLosses, Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Weights)
{
    public static GptPipelineRun[] Train(
        GptConfig config, ParallelGrid grid, PipelineScheduleOptions schedule, Tensor tokens, Tensor targets, int steps, double learningRate, double maxNorm)
    {
        var generated = PipelineScheduleGenerator.Generate(schedule);
        var world = new InProcessWorld(grid);
        return world.Run(groups =>
        {
            using var partition = new GptPartition(config, groups, new(schedule.VirtualStages), 1234);
            var optimizer = new DistributedOptimizer(partition.Parameters, groups, new AdamWOptions(learningRate, WeightDecay: 0.01), new DataParallelOptions(MaxGradientNorm: maxNorm));
            var gradients = new Dictionary<string, Tensor>();
            var step = 0;
            var model = new FlushingStageModel(partition, _ =>
            {
                optimizer.FinishGradients();
                if (step == 0) gradients = Gather(partition, groups, p => p.Value.grad!);
                optimizer.Step();
            });
            var transport = new CommunicatorPipelineTransport(groups.Pipeline);
            var executor = new PipelineExecutor(generated, model, transport);
            var batch = new SliceBatch(tokens, targets, grid.DataParallelSize, groups.Coordinates.Data, schedule.MicroBatches);
            IReadOnlyList<double> losses = [];
            for (step = 0; step < steps; step++)
            {
                var result = executor.Run(batch, CancellationToken.None);
                if (step == 0) losses = result.MicroBatchLosses.Values.ToList();
            }

            var reports = groups.IsLastStage && groups.Coordinates.Tensor == 0;
            return new GptPipelineRun(reports ? losses : [], gradients, Gather(partition, groups, p => p.Value.detach()));
        });
    }

    public static Dictionary<string, Tensor> Gather(GptPartition partition, ProcessGroups groups, Func<PartitionParameter, Tensor> pick)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var p in partition.Parameters)
        {
            var value = pick(p);
            var full = p.ShardDimension < 0 ? value.clone() : groups.Tensor.AllGather(value.contiguous(), p.ShardDimension);
            // Gathered inside the executor's dispose scope when called from an optimizer step: keep it beyond.
            result[(p.IsTiedCopy ? "tied:" : "") + p.Name] = full.DetachFromDisposeScope();
        }

        return result;
    }

    /// <summary>Replica d's slice of the batch, cut into equal micro-batches.</summary>
    internal sealed class SliceBatch(Tensor tokens, Tensor targets, int replicas, int replica, int microBatches) : IPipelineBatch
    {
        private readonly Tensor[] _inputs = tokens.chunk(replicas, 0)[replica].chunk(microBatches, 0).Select(t => t.contiguous()).ToArray();
        private readonly Tensor[] _targets = targets.chunk(replicas, 0)[replica].chunk(microBatches, 0).Select(t => t.contiguous()).ToArray();

        public Tensor Inputs(int microBatch) => _inputs[microBatch];

        public Tensor Targets(int microBatch) => _targets[microBatch];
    }
}
