using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// A run that is interrupted after a checkpoint and resumed by a new attempt ends with the same weights and optimizer
/// state as a run that was never interrupted: the checkpoint carries everything training depends on.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CheckpointResumeTests
{
    internal static readonly TrainingOptions Small = new(
        Layers: 4, Hidden: 32, Heads: 4, SequenceLength: 16, Vocabulary: 128, GlobalBatch: 8, MicroBatch: 2, LearningRate: 1e-2);

    public static TheoryData<string, TrainingOptions, int> Runs() => new()
    {
        // name, options, checkpoint every N steps (PipeDream-2BW checkpoints at its 4-step window boundaries)
        { "t1 p2 d2 1f1b", Small with { PipelineParallelSize = 2, DataParallelSize = 2, Steps = 8 }, 2 },
        { "t2 p1 d1 sequence parallel", Small with { TensorParallelSize = 2, SequenceParallel = true, Steps = 6 }, 2 },
        { "t1 p2 d1 2bw", Small with { PipelineParallelSize = 2, Schedule = "2bw", Steps = 16 }, TrainingLoop.TwoBWWindow },
        { "t1 p1 d2 zero-1", Small with { DataParallelSize = 2, ShardOptimizerState = true, Steps = 6 }, 2 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task An_interrupted_and_resumed_run_ends_with_the_weights_and_moments_of_an_uninterrupted_one(string name, TrainingOptions options, int every)
    {
        using var temp = new TemporaryCheckpointStore();
        var interval = CheckpointInterval.EverySteps(every);
        var straight = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None, new TrainingCheckpointing(temp.Store, "straight", 1, interval));

        // Attempt 1 is cancelled during the step after its first checkpoint (whose commit still completes: it was taken
        // before the cancellation); attempt 2 restores it and finishes.
        using var cancel = new CancellationTokenSource();
        var first = await TrainingLoop.RunAsync(options, new RecordingObserver(cancel, afterSteps: every + 1), cancel.Token,
            new TrainingCheckpointing(temp.Store, "resumed", 1, interval));
        var observer = new RecordingCheckpointObserver();
        var second = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None,
            new TrainingCheckpointing(temp.Store, "resumed", 2, interval) { Observer = observer });

        Assert.True(first.Cancelled, name);
        Assert.Equal(new CheckpointId("resumed", every, 1), first.LastCommitted);
        var restored = Assert.Single(observer.Restored);
        Assert.Equal(first.LastCommitted, restored.Checkpoint);
        Assert.Equal(options.Steps - every, second.StepsCompleted);
        LossAssert.Close(straight.Losses.Skip(every), second.Losses, 1e-6, name);

        var expected = await temp.ReadAllAsync(straight.LastCommitted!);
        var actual = await temp.ReadAllAsync(second.LastCommitted!);
        Assert.Equal(new CheckpointId("resumed", options.Steps, 2), second.LastCommitted);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains(CheckpointTensorNames.ExpAvgSq("layers.3.mlp.down.weight"), actual.Keys);
        foreach (var (tensor, values) in expected)
        {
            var difference = values.Zip(actual[tensor], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-6, $"{name}: {tensor} differs by {difference}");
        }
    }
}
