using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

public sealed class PipeDream2BWExecutorTests
{
    private const int MicroBatchSize = 2;
    private const double LearningRate = 0.05;

    public PipeDream2BWExecutorTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(2, 2, 4)]
    [InlineData(4, 4, 3)]
    [InlineData(3, 5, 4)]
    public void Equals_a_single_device_run_of_the_delayed_update_rule(int stages, int microBatches, int batches)
    {
        var model = new ToyPipelineModel(stages, seed: 21);
        var tokens = ToyPipelineModel.MakeBatch(microBatches * batches, MicroBatchSize, seed: 22);

        // Reference: W(t+1) = W(t) - AdamW(∇f_t(W(t-1))), with W(-1) = W(0); batch t sees version max(t-1, 0).
        var evaluator = new PipelineReference(model);
        var master = new PipelineReference(model);
        var optimizer = optim.AdamW(master.All, LearningRate);
        var versions = new List<Tensor[]> { master.Snapshot() };
        var expectedLosses = new List<double>();
        for (var t = 0; t < batches; t++)
        {
            evaluator.Load(versions[Math.Max(t - 1, 0)]);
            expectedLosses.AddRange(evaluator.Backward(new OffsetBatch(tokens, t * microBatches), microBatches));
            foreach (var (m, e) in master.All.Zip(evaluator.All))
            {
                m.grad = e.grad!.clone();
                e.grad!.zero_();
            }

            optimizer.step();
            optimizer.zero_grad();
            versions.Add(master.Snapshot());
        }

        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, stages, microBatches, Batches: batches));
        var models = Enumerable.Range(0, stages).Select(r => new PipeDream2BWStageModel(
            new ToyPipelineModel.Replica(model, r, stages), new ToyPipelineModel.Replica(model, r, stages),
            ps => optim.AdamW(ps, LearningRate))).ToArray();
        var results = PipelineExecutorTests.RunPipeline(schedule, models, tokens);

        var losses = results[stages - 1].MicroBatchLosses;
        for (var j = 0; j < microBatches * batches; j++)
            Assert.True(Math.Abs(losses[j] - expectedLosses[j]) <= 1e-5 * expectedLosses[j], $"micro-batch {j}: {losses[j]} vs {expectedLosses[j]}");

        var final = versions[batches];
        var offset = 0;
        for (var r = 0; r < stages; r++)
        {
            var newest = models[r].NewestWeights;
            for (var i = 0; i < newest.Count; i++)
                TensorAssert.Close(final[offset + i], newest[i], 1e-4, $"rank {r} parameter {i} after {batches} batches");
            offset += newest.Count;
        }
    }

    [Fact]
    public void Differs_from_an_undelayed_update_so_the_equality_above_is_not_vacuous()
    {
        const int stages = 2, microBatches = 2, batches = 3;
        var model = new ToyPipelineModel(stages, seed: 21);
        var tokens = ToyPipelineModel.MakeBatch(microBatches * batches, MicroBatchSize, seed: 22);
        var plain = new PipelineReference(model);
        var optimizer = optim.AdamW(plain.All, LearningRate);
        for (var t = 0; t < batches; t++)
        {
            plain.Backward(new OffsetBatch(tokens, t * microBatches), microBatches);
            optimizer.step();
            optimizer.zero_grad();
        }

        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, stages, microBatches, Batches: batches));
        var models = Enumerable.Range(0, stages).Select(r => new PipeDream2BWStageModel(
            new ToyPipelineModel.Replica(model, r, stages), new ToyPipelineModel.Replica(model, r, stages),
            ps => optim.AdamW(ps, LearningRate))).ToArray();
        PipelineExecutorTests.RunPipeline(schedule, models, tokens);

        var difference = plain.Stages[0][1].sub(models[0].NewestWeights[1]).abs().max().item<float>();
        Assert.True(difference > 1e-3, $"delayed and undelayed updates agree to {difference}");
    }

    /// <summary>Micro-batches <c>offset..</c> of a larger batch, renumbered from 0.</summary>
    private sealed class OffsetBatch(ToyPipelineModel.Batch batch, int offset) : IPipelineBatch
    {
        public Tensor Inputs(int microBatch) => batch.Inputs(offset + microBatch);
        public Tensor Targets(int microBatch) => batch.Targets(offset + microBatch);
    }
}
