using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

public sealed class PipelineExecutorTests
{
    private const int MicroBatchSize = 3;
    private const double LearningRate = 0.05;

    public PipelineExecutorTests() => TorchRuntime.EnsureLoaded();

    public static TheoryData<PipelineScheduleKind, int, int, int> FlushingLayouts() => new()
    {
        { PipelineScheduleKind.GPipe, 1, 3, 1 },
        { PipelineScheduleKind.GPipe, 2, 4, 1 },
        { PipelineScheduleKind.OneForwardOneBackward, 2, 4, 1 },
        { PipelineScheduleKind.OneForwardOneBackward, 4, 6, 1 },
        { PipelineScheduleKind.OneForwardOneBackward, 3, 2, 1 },
        { PipelineScheduleKind.Interleaved, 2, 4, 2 },
        { PipelineScheduleKind.Interleaved, 4, 4, 2 },
        { PipelineScheduleKind.Interleaved, 2, 2, 4 },
    };

    [Theory]
    [MemberData(nameof(FlushingLayouts))]
    public void Loss_and_every_gradient_equal_the_single_device_reference(PipelineScheduleKind kind, int stages, int microBatches, int chunks)
    {
        var model = new ToyPipelineModel(stages * chunks, seed: 7);
        var batch = ToyPipelineModel.MakeBatch(microBatches, MicroBatchSize, seed: 11);
        var reference = new PipelineReference(model);
        var expectedLosses = reference.Backward(batch, microBatches);

        var schedule = PipelineScheduleGenerator.Generate(new(kind, stages, microBatches, chunks));
        var replicas = Enumerable.Range(0, stages).Select(r => new ToyPipelineModel.Replica(model, r, stages)).ToArray();
        // An optimizer step that does nothing leaves the accumulated gradients in place for inspection.
        var results = RunPipeline(schedule, replicas.Select(r => (IPipelineStageModel)new FlushingStageModel(r, _ => { })).ToArray(), batch);

        var losses = results[stages - 1].MicroBatchLosses;
        Assert.Equal(microBatches, losses.Count);
        for (var j = 0; j < microBatches; j++)
            Assert.True(Math.Abs(losses[j] - expectedLosses[j]) <= 1e-5 * Math.Abs(expectedLosses[j]), $"micro-batch {j}: {losses[j]} vs {expectedLosses[j]}");

        for (var r = 0; r < stages; r++)
        for (var c = 0; c < chunks; c++)
        {
            var expected = reference.Stages[c * stages + r];
            var actual = replicas[r].Chunk(c);
            for (var i = 0; i < expected.Length; i++)
                TensorAssert.Close(expected[i].grad!, actual[i].grad!, 1e-5, $"rank {r} chunk {c} parameter {i} gradient");
        }
    }

    [Theory]
    [InlineData(PipelineScheduleKind.GPipe, 2, 4, 1)]
    [InlineData(PipelineScheduleKind.OneForwardOneBackward, 4, 8, 1)]
    [InlineData(PipelineScheduleKind.Interleaved, 2, 4, 2)]
    public void Weights_after_three_adamw_steps_match_the_single_device_reference(PipelineScheduleKind kind, int stages, int microBatches, int chunks)
    {
        const int steps = 3;
        var model = new ToyPipelineModel(stages * chunks, seed: 3);
        var reference = new PipelineReference(model);
        var referenceOptimizer = optim.AdamW(reference.All, LearningRate);
        var schedule = PipelineScheduleGenerator.Generate(new(kind, stages, microBatches, chunks));
        var replicas = Enumerable.Range(0, stages).Select(r => new ToyPipelineModel.Replica(model, r, stages)).ToArray();
        var models = replicas.Select(r =>
        {
            var optimizer = optim.AdamW(r.Parameters, LearningRate);
            return (IPipelineStageModel)new FlushingStageModel(r, _ => { optimizer.step(); optimizer.zero_grad(); });
        }).ToArray();

        for (var step = 0; step < steps; step++)
        {
            var batch = ToyPipelineModel.MakeBatch(microBatches, MicroBatchSize, seed: 100 + step);
            reference.Backward(batch, microBatches);
            referenceOptimizer.step();
            referenceOptimizer.zero_grad();
            RunPipeline(schedule, models, batch);
        }

        for (var r = 0; r < stages; r++)
        for (var c = 0; c < chunks; c++)
        {
            var expected = reference.Stages[c * stages + r];
            for (var i = 0; i < expected.Length; i++)
                TensorAssert.Close(expected[i], replicas[r].Chunk(c)[i], 1e-4, $"rank {r} chunk {c} parameter {i} after {steps} steps");
        }
    }

    [Fact]
    public void A_failing_rank_cancels_the_others_instead_of_leaving_them_waiting()
    {
        var model = new ToyPipelineModel(2, seed: 1);
        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.OneForwardOneBackward, 2, 2));
        var replicas = Enumerable.Range(0, 2).Select(r => new ToyPipelineModel.Replica(model, r, 2)).ToArray();
        IPipelineStageModel[] models =
        [
            new FlushingStageModel(replicas[0], _ => { }),
            new FailingStageModel(),
        ];
        var error = Assert.Throws<InvalidOperationException>(() => RunPipeline(schedule, models, ToyPipelineModel.MakeBatch(2, 1, 5)));
        Assert.Equal("rank 1 broke", error.Message);
    }

    internal static PipelineRunResult[] RunPipeline(PipelineSchedule schedule, IPipelineStageModel[] models, IPipelineBatch batch)
    {
        var transport = new InProcessPipelineTransport(schedule.Options.Stages);
        var results = new PipelineRunResult[schedule.Options.Stages];
        InProcessRanks.Run(schedule.Options.Stages, (rank, token) =>
            results[rank] = new PipelineExecutor(schedule, models[rank], transport.ForStage(rank)).Run(batch, token), CancellationToken.None);
        return results;
    }

    private sealed class FailingStageModel : IPipelineStageModel
    {
        public Tensor Forward(int chunk, int weightVersion, Tensor input, Tensor? targets) => throw new InvalidOperationException("rank 1 broke");

        public void OptimizerStep(int createdVersion)
        {
        }
    }
}
