using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Training;

/// <summary>
/// The training loop on layouts with several in-process ranks: the same seed and data give the same losses as one
/// rank, because every layout computes the same model on the same global batch.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainingLayoutTests
{
    private static readonly TrainingOptions Base = new(
        Layers: 4, Hidden: 32, Heads: 2, SequenceLength: 16, Vocabulary: 256, GlobalBatch: 8, MicroBatch: 2, Steps: 3, LearningRate: 1e-2);

    public static TheoryData<int, int, int, int, string, string, bool> Layouts() => new()
    {
        // tensor, pipeline, data, virtual stages, schedule, recompute, sequence parallel
        { 2, 1, 1, 1, "1f1b", "none", false },
        { 1, 2, 1, 1, "gpipe", "none", false },
        { 1, 2, 1, 1, "1f1b", "full", false },
        { 1, 1, 2, 1, "1f1b", "none", false },
        { 2, 2, 2, 1, "1f1b", "selective", false },
        { 1, 2, 1, 2, "interleaved", "none", false },
        { 2, 1, 1, 1, "1f1b", "none", true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Losses_of_the_first_steps_equal_the_single_rank_run(int tensor, int pipeline, int data, int virtualStages, string schedule, string recompute, bool sequenceParallel)
    {
        var single = await TrainingLoop.RunAsync(Base, new RecordingObserver(), CancellationToken.None);
        var options = Base with
        {
            TensorParallelSize = tensor, PipelineParallelSize = pipeline, DataParallelSize = data, VirtualStages = virtualStages,
            Schedule = schedule, Recompute = recompute, SequenceParallel = sequenceParallel,
        };
        var parallel = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None);

        Assert.Equal(3, parallel.StepsCompleted);
        for (var step = 0; step < 3; step++)
        {
            var relative = Math.Abs(parallel.Losses[step] / single.Losses[step] - 1);
            Assert.True(relative < 1e-4, $"step {step}: {parallel.Losses[step]} vs single rank {single.Losses[step]}");
        }
    }

    [Fact]
    public async Task PipeDream_2bw_reports_every_step_and_its_first_two_batches_use_the_initial_weights()
    {
        // Batch 0 and batch 1 each evaluated at the initial weights W(0).
        var first = await TrainingLoop.RunAsync(Base with { Steps = 1 }, new RecordingObserver(), CancellationToken.None);
        var second = await TrainingLoop.RunAsync(Base with { Steps = 2, StartStep = 1 }, new RecordingObserver(), CancellationToken.None);
        var observer = new RecordingObserver();
        var options = Base with { PipelineParallelSize = 2, Schedule = "2bw", Steps = 6 };
        var result = await TrainingLoop.RunAsync(options, observer, CancellationToken.None);

        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], observer.Steps.Select(s => s.Step));
        Assert.True(Math.Abs(result.Losses[0] / first.Losses[0] - 1) < 1e-4, $"{result.Losses[0]} vs {first.Losses[0]}");
        Assert.True(Math.Abs(result.Losses[1] / second.Losses[0] - 1) < 1e-4, $"{result.Losses[1]} vs {second.Losses[0]}");
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public async Task A_layout_that_does_not_divide_the_model_is_refused_before_any_rank_starts()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrainingLoop.RunAsync(Base with { Layers = 3, PipelineParallelSize = 2 }, new RecordingObserver(), CancellationToken.None));
        Assert.Equal("Layers", error.ParamName);
    }
}
