using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// A job that starts from a model version (<c>model.from</c>) restores another job's checkpoint as its initial
/// weights, resharded into its own layout, and trains its own steps from 0 with a fresh optimizer.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class FineTuneStartTests(ReshardingSource source) : IClassFixture<ReshardingSource>
{
    private static readonly TrainingOptions FineTune = ReshardingSource.Original with { Steps = 2 };

    [Fact]
    public async Task A_fine_tune_takes_the_versions_weights_under_another_layout_and_trains_from_step_0_with_a_fresh_optimizer()
    {
        using var store = source.Saved.Copy();
        var observer = new RecordingCheckpointObserver();
        var resharded = await TrainingLoop.RunAsync(FineTune with { TensorParallelSize = 1, PipelineParallelSize = 1, DataParallelSize = 2 },
            new RecordingObserver(), CancellationToken.None, StartingFrom(store, "tune-d2") with { Observer = observer });
        var saved = await TrainingLoop.RunAsync(FineTune, new RecordingObserver(), CancellationToken.None, StartingFrom(store, "tune-t2p2"));
        var scratch = await TrainingLoop.RunAsync(FineTune, new RecordingObserver(), CancellationToken.None);

        var started = Assert.Single(observer.StartedFrom);
        Assert.Equal(ReshardingSource.Checkpoint, started.Checkpoint);
        Assert.Equal(new CheckpointLayout(2, 2, 1), started.SavedLayout);
        Assert.Equal(new CheckpointLayout(1, 1, 2), started.CurrentLayout);
        Assert.Empty(observer.Restored);
        Assert.Equal(FineTune.Steps, resharded.StepsCompleted);
        // The same start under the layout that saved it gives the same losses: the weights arrived whole.
        LossAssert.Close(saved.Losses, resharded.Losses, 1e-5);
        Assert.True(Math.Abs(resharded.Losses[0] - scratch.Losses[0]) > 1e-3, $"first loss {resharded.Losses[0]} equals a run from initial weights ({scratch.Losses[0]})");
        // A fresh optimizer: the fine-tune's own step count, not the version's plus its own.
        var committed = await store.Store.LoadManifestAsync(new CheckpointId("tune-d2", FineTune.Steps, 1), CancellationToken.None);
        Assert.Equal(FineTune.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), committed.Metadata["optimizer.step"]);
    }

    [Fact]
    public async Task A_job_with_its_own_checkpoint_resumes_from_it_and_ignores_the_starting_version()
    {
        using var store = source.Saved.Copy();
        var observer = new RecordingCheckpointObserver();
        // The source job itself names a start: its own checkpoint at step 3 wins.
        await TrainingLoop.RunAsync(ReshardingSource.Original, new RecordingObserver(), CancellationToken.None,
            ReshardingSource.Checkpointing(store.Store, 2) with { Observer = observer, StartFrom = new CheckpointId("elsewhere", 1, 1) });

        Assert.Equal(ReshardingSource.Checkpoint, Assert.Single(observer.Restored).Checkpoint);
        Assert.Empty(observer.StartedFrom);
    }

    private static TrainingCheckpointing StartingFrom(TemporaryCheckpointStore store, string job) =>
        new(store.Store, job, 1, CheckpointInterval.EverySteps(1000)) { StartFrom = ReshardingSource.Checkpoint };
}
