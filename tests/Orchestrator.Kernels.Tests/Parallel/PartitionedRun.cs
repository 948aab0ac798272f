using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Training;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>
/// One rank's view of a partitioned training run: the loss it saw (last stage only) and the full-shape gradients of the
/// first step and weights after the last step of the parameters it holds, gathered over its tensor group.
/// </summary>
internal sealed record PartitionedRun(float? Loss, double GradientNorm, Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Weights)
{
    /// <summary>
    /// Trains on every rank of <paramref name="grid"/>: each data replica takes its slice of the batch as one micro-batch,
    /// passed through the pipeline stages by hand (forward down, gradient back up); p = 1 or a plain stage chain, v = 1.
    /// </summary>
    public static PartitionedRun[] Train(
        ParallelGrid grid, GptPartitionOptions options, DataParallelOptions dataParallel, Tensor tokens, Tensor targets, int steps, double learningRate)
        => Train(SmallGpt.Config, grid, options, dataParallel, tokens, targets, steps, learningRate);

    public static PartitionedRun[] Train(
        GptConfig config, ParallelGrid grid, GptPartitionOptions options, DataParallelOptions dataParallel, Tensor tokens, Tensor targets, int steps, double learningRate)
    {
        var world = new InProcessWorld(grid);
        return world.Run(groups =>
        {
            using var partition = new GptPartition(config, groups, options, SmallGpt.Seed);
            var optimizer = new DistributedOptimizer(partition.Parameters, groups, new AdamWOptions(learningRate, Epsilon: ReferenceFixture.Epsilon, WeightDecay: 0.01), dataParallel);
            var replica = groups.Coordinates.Data;
            using var myTokens = tokens.chunk(grid.DataParallelSize, 0)[replica].contiguous();
            using var myTargets = targets.chunk(grid.DataParallelSize, 0)[replica].contiguous();
            float? loss = null;
            double norm = 0;
            var gradients = new Dictionary<string, Tensor>();
            for (var step = 0; step < steps; step++)
            {
                var stepLoss = ForwardBackward(partition, groups, myTokens, myTargets);
                optimizer.FinishGradients();
                if (step == 0)
                {
                    loss = stepLoss;
                    gradients = Gather(partition, groups, p => p.Value.grad!);
                }

                var stepNorm = optimizer.Step();
                norm = step == 0 ? stepNorm : norm;
            }

            return new PartitionedRun(loss, norm, gradients, Gather(partition, groups, p => p.Value.detach()));
        });
    }

    private static float? ForwardBackward(GptPartition partition, ProcessGroups groups, Tensor tokens, Tensor targets)
    {
        var chunk = partition.Chunks.Single();
        var stage = groups.Coordinates.Pipeline;
        var input = groups.IsFirstStage ? tokens : groups.Pipeline.Receive(stage - 1).requires_grad_(true);
        var output = chunk.Forward(input, groups.IsLastStage ? targets : null);
        float? loss = null;
        if (groups.IsLastStage)
        {
            loss = output.item<float>();
            output.backward();
        }
        else
        {
            groups.Pipeline.Send(output, stage + 1);
            output.backward([groups.Pipeline.Receive(stage + 1, tag: 1)]);
        }

        if (!groups.IsFirstStage)
        {
            groups.Pipeline.Send(input.grad!, stage - 1, tag: 1);
        }

        return loss;
    }

    internal static Dictionary<string, Tensor> Gather(GptPartition partition, ProcessGroups groups, Func<PartitionParameter, Tensor> pick)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var p in partition.Parameters)
        {
            var value = pick(p);
            var full = p.ShardDimension < 0 ? value.clone() : groups.Tensor.AllGather(value.contiguous(), p.ShardDimension);
            // Results outlive any dispose scope the caller (e.g. the pipeline executor) runs in.
            full.DetachFromDisposeScope();
            if (!p.IsTiedCopy)
            {
                result[p.Name] = full;
            }
            else
            {
                // The last stage's copy must equal the first stage's; keep it under its own key to check that.
                result["tied:" + p.Name] = full;
            }
        }

        return result;
    }
}
