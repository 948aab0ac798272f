using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Kernels.Training;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>
/// Trains GPT partitions with the pipeline executor on every rank of a grid: each data replica cuts its slice of the
/// batch into micro-batches, the executor runs the schedule, and the optimizer step is the distributed optimizer's.
/// </summary>
internal static class PipelinedRun
{
    public static PartitionedRun[] Train(
        GptConfig config, ParallelGrid grid, GptPartitionOptions options, PipelineScheduleKind kind, int microBatches, ReferenceFixture fixture)
    {
        var schedule = PipelineScheduleGenerator.Generate(new(kind, grid.PipelineParallelSize, microBatches, options.VirtualStages));
        var dataParallel = new DataParallelOptions(BucketBytes: 64 * 1024, MaxGradientNorm: ReferenceFixture.MaxNorm);
        var world = new InProcessWorld(grid);
        return world.Run(groups =>
        {
            using var partition = new GptPartition(config, groups, options, SmallGpt.Seed);
            var optimizer = new DistributedOptimizer(
                partition.Parameters, groups, new AdamWOptions(ReferenceFixture.LearningRate, Epsilon: ReferenceFixture.Epsilon, WeightDecay: 0.01), dataParallel);
            var replica = groups.Coordinates.Data;
            var batch = new SlicedBatch(
                fixture.Tokens.chunk(grid.DataParallelSize, 0)[replica].chunk(microBatches, 0),
                fixture.Targets.chunk(grid.DataParallelSize, 0)[replica].chunk(microBatches, 0));
            var step = 0;
            double norm = 0;
            var gradients = new Dictionary<string, Tensor>();
            var stageModel = new FlushingStageModel(partition, _ =>
            {
                optimizer.FinishGradients();
                if (step == 0)
                {
                    gradients = PartitionedRun.Gather(partition, groups, p => p.Value.grad!);
                }

                var stepNorm = optimizer.Step();
                norm = step++ == 0 ? stepNorm : norm;
            });
            var executor = new PipelineExecutor(schedule, stageModel, new CommunicatorPipelineTransport(groups.Pipeline));
            float? loss = null;
            for (var s = 0; s < ReferenceFixture.Steps; s++)
            {
                var result = executor.Run(batch, CancellationToken.None);
                if (s == 0 && groups.IsLastStage)
                {
                    loss = (float)result.MicroBatchLosses.Values.Average();
                }
            }

            return new PartitionedRun(loss, norm, gradients, PartitionedRun.Gather(partition, groups, p => p.Value.detach()));
        });
    }

    private sealed class SlicedBatch(Tensor[] inputs, Tensor[] targets) : IPipelineBatch
    {
        public Tensor Inputs(int microBatch) => inputs[microBatch];

        public Tensor Targets(int microBatch) => targets[microBatch];
    }
}
