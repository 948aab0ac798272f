using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// Checkpoints of a Mixture-of-Experts GPT trained by the loop: saved with the experts split over two expert ranks,
/// restored with every rank holding all experts, training continues with the losses of the original layout.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MoeCheckpointTests
{
    private const int SavedAt = 3;
    private const int Steps = 6;
    private const string Job = "moe";

    private static readonly TrainingOptions ExpertParallel = MoeTrainingTests.Small with { DataParallelSize = 2, ExpertParallelSize = 2, Steps = Steps };

    private static TrainingCheckpointing Checkpointing(TemporaryCheckpointStore store, int attempt, ICheckpointObserver? observer = null) =>
        new(store.Store, Job, attempt, CheckpointInterval.EverySteps(1000)) { Observer = observer };

    [Fact]
    public async Task A_checkpoint_saved_under_e2_restores_under_e1_and_training_continues_with_the_same_losses()
    {
        using var store = new TemporaryCheckpointStore();
        var continuing = await TrainingLoop.RunAsync(ExpertParallel, new RecordingObserver(), CancellationToken.None);
        var first = await TrainingLoop.RunAsync(ExpertParallel with { Steps = SavedAt }, new RecordingObserver(), CancellationToken.None, Checkpointing(store, 1));
        Assert.Equal(new CheckpointId(Job, SavedAt, 1), first.LastCommitted);

        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(ExpertParallel with { ExpertParallelSize = 1 }, new RecordingObserver(), CancellationToken.None, Checkpointing(store, 2, observer));

        var restored = Assert.Single(observer.Restored);
        Assert.Equal(new CheckpointLayout(1, 1, 2, ExpertParallelSize: 2), restored.SavedLayout);
        Assert.Equal(new CheckpointLayout(1, 1, 2, ExpertParallelSize: 1), restored.CurrentLayout);
        Assert.Equal(Steps - SavedAt, resumed.StepsCompleted);
        LossAssert.Close(continuing.Losses.Skip(SavedAt), resumed.Losses, 1e-5, "after restoring under e1:");
    }

    [Fact]
    public async Task A_dense_checkpoint_is_refused_by_an_moe_run_naming_the_field()
    {
        using var store = new TemporaryCheckpointStore();
        await TrainingLoop.RunAsync(ExpertParallel with { Moe = null, ExpertParallelSize = 1, Steps = 1 }, new RecordingObserver(), CancellationToken.None, Checkpointing(store, 1));

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrainingLoop.RunAsync(ExpertParallel, new RecordingObserver(), CancellationToken.None, Checkpointing(store, 2)));
        Assert.Equal("Moe.ExpertCount", error.ParamName);
        Assert.Contains("Moe.ExpertCount = 0, but this run has Moe.ExpertCount = 4", error.Message, StringComparison.Ordinal);
    }
}
