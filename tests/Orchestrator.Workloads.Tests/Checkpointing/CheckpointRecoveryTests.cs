using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>Damaged checkpoints, fenced attempts, checkpoint-and-stop requests and restores into the wrong model.</summary>
[Collection(TrainingCollection.Name)]
public sealed class CheckpointRecoveryTests
{
    private static readonly TrainingOptions Options = CheckpointResumeTests.Small with { Layers = 2 };

    [Fact]
    public async Task A_corrupted_chunk_in_the_newest_checkpoint_makes_the_restore_use_the_previous_one_and_report_the_skip()
    {
        using var temp = new TemporaryCheckpointStore();
        var reference = await TrainingLoop.RunAsync(Options with { Steps = 6 }, new RecordingObserver(), CancellationToken.None);
        var first = await TrainingLoop.RunAsync(Options with { Steps = 4 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1, every: 2));
        Assert.Equal(new CheckpointId("job", 4, 1), first.LastCommitted);
        await temp.CorruptChunkAsync(first.LastCommitted!, CheckpointTensorNames.Model("layers.1.mlp.up.weight"));

        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(Options with { Steps = 6 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 2, every: 2) with { Observer = observer });

        var restored = Assert.Single(observer.Restored);
        Assert.Equal(new CheckpointId("job", 2, 1), restored.Checkpoint);
        var skipped = Assert.Single(restored.Skipped);
        Assert.Equal(first.LastCommitted, skipped.Checkpoint);
        Assert.Contains("corrupt", skipped.Reason, StringComparison.Ordinal);
        // The damaged checkpoint was partly read into the ranks before the damage showed; the older one replaced it all.
        LossAssert.Close(reference.Losses.Skip(2), resumed.Losses, 1e-6);
    }

    [Fact]
    public async Task When_every_checkpoint_is_damaged_the_run_starts_from_the_initial_weights_and_reports_why()
    {
        using var temp = new TemporaryCheckpointStore();
        var reference = await TrainingLoop.RunAsync(Options with { Steps = 3 }, new RecordingObserver(), CancellationToken.None);
        var first = await TrainingLoop.RunAsync(Options with { Steps = 2 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1, every: 1000));
        // The last tensor the restore reads: by then the weights have been overwritten with the damaged checkpoint's.
        await temp.CorruptChunkAsync(first.LastCommitted!, CheckpointTensorNames.ExpAvgSq("final_norm.bias"));

        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(Options with { Steps = 3 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 2, every: 1000) with { Observer = observer });

        Assert.Empty(observer.Restored);
        var skipped = Assert.Single(Assert.Single(observer.NoUsableCheckpoint));
        Assert.Equal(first.LastCommitted, skipped.Checkpoint);
        Assert.Null(resumed.RestoredFrom);
        LossAssert.Close(reference.Losses, resumed.Losses, 1e-6);
    }

    [Fact]
    public async Task A_fence_that_refuses_the_commit_is_reported_and_training_continues_without_saving_again()
    {
        using var temp = new TemporaryCheckpointStore();
        var asked = 0;
        var observer = new RecordingCheckpointObserver();
        var settings = Checkpointing(temp.Store, 1, every: 2) with
        {
            Observer = observer,
            Fence = (_, _) =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(false);
            },
        };

        var result = await TrainingLoop.RunAsync(Options with { Steps = 8 }, new RecordingObserver(), CancellationToken.None, settings);

        Assert.False(result.Cancelled);
        Assert.Equal(8, result.StepsCompleted);
        var failed = Assert.Single(observer.Failed);
        Assert.True(failed.Fenced);
        Assert.IsType<StaleAttemptException>(failed.Error);
        Assert.Equal(2, failed.Checkpoint.Step);
        Assert.Equal(1, asked);
        Assert.Empty(observer.Committed);
        Assert.Null(result.LastCommitted);
        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task A_checkpoint_and_stop_request_from_another_thread_returns_after_a_committed_checkpoint_at_that_step()
    {
        using var temp = new TemporaryCheckpointStore();
        var control = new CheckpointControl();
        var stepsSeen = new SemaphoreSlim(0);
        var requester = Task.Run(async () =>
        {
            await stepsSeen.WaitAsync();
            control.RequestCheckpointAndStop();
        });
        var steps = new StepSignal(stepsSeen, afterSteps: 3);
        var observer = new RecordingCheckpointObserver();

        var result = await TrainingLoop.RunAsync(Options with { Steps = 200 }, steps, CancellationToken.None,
            Checkpointing(temp.Store, 1, every: 1000) with { Control = control, Observer = observer });
        await requester;

        Assert.True(result.Stopped);
        Assert.False(result.Cancelled);
        Assert.True(result.StoppedAfterCheckpoint);
        Assert.Equal(result.StepsCompleted, result.StopCheckpoint!.Step);
        Assert.InRange(result.StepsCompleted, 3, 199);
        Assert.Equal(result.StopCheckpoint, Assert.Single(temp.Store.List("job")));
        Assert.Equal(result.StopCheckpoint, Assert.Single(observer.Committed).Checkpoint);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.Hidden), 64, 128)]
    [InlineData(nameof(TrainingOptions.Vocabulary), 32, 256)]
    [InlineData(nameof(TrainingOptions.Layers), 32, 128)]
    public async Task Restoring_into_a_model_of_another_shape_is_refused_naming_the_field(string field, int hidden, int vocabulary)
    {
        using var temp = new TemporaryCheckpointStore();
        await TrainingLoop.RunAsync(Options with { Steps = 1 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1, every: 1000));
        var other = Options with { Steps = 2, Hidden = hidden, Vocabulary = vocabulary, Layers = field == nameof(TrainingOptions.Layers) ? 4 : Options.Layers };

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrainingLoop.RunAsync(other, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 2, every: 1000)));

        Assert.Equal(field, error.ParamName);
        Assert.Contains($"{field} = ", error.Message, StringComparison.Ordinal);
        Assert.Contains("same shape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_that_cannot_work_are_refused_naming_the_field()
    {
        using var temp = new TemporaryCheckpointStore();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrainingLoop.RunAsync(Options with { Steps = 1 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1, every: 1) with { Keep = 0 }));
        Assert.Equal(nameof(TrainingCheckpointing.Keep), error.ParamName);
    }

    private static TrainingCheckpointing Checkpointing(CheckpointStore store, int attempt, long every) =>
        new(store, "job", attempt, CheckpointInterval.EverySteps(every));

    /// <summary>Releases a semaphore once a number of steps has been seen.</summary>
    private sealed class StepSignal(SemaphoreSlim signal, int afterSteps) : IStepObserver
    {
        private int _steps;

        public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
        {
            if (++_steps == afterSteps) signal.Release();
            return ValueTask.CompletedTask;
        }
    }
}
