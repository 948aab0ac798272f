using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;
using System.Runtime.InteropServices;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// A checkpoint saved under t2·p2·d1 restores under other layouts: the next steps' losses equal those of the
/// original layout continuing. From the second step after the restore the loss depends on the AdamW moments and step
/// count, which the last test shows is visible at this tolerance.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CheckpointReshardingTests(ReshardingSource source) : IClassFixture<ReshardingSource>
{
    private const int SavedAt = ReshardingSource.SavedAt;
    private const int Steps = ReshardingSource.Steps;

    public static TheoryData<int, int, int, string, bool> NewLayouts() => new()
    {
        // tensor, pipeline, data, schedule, ZeRO-1
        { 1, 1, 2, "1f1b", false },
        { 4, 1, 1, "1f1b", false },
        { 1, 2, 2, "1f1b", false },
        { 1, 4, 1, "gpipe", false },
        { 1, 1, 2, "1f1b", true },
        { 1, 2, 1, "2bw", false },
    };

    [Fact]
    public void The_saved_run_matches_the_reference_up_to_the_checkpoint()
    {
        LossAssert.Close(source.Continuing.Losses.Take(SavedAt), source.First.Losses, 1e-6);
        Assert.Equal(ReshardingSource.Checkpoint, source.First.LastCommitted);
    }

    [Theory]
    [MemberData(nameof(NewLayouts))]
    public async Task A_checkpoint_saved_under_t2_p2_d1_continues_under_another_layout_with_the_same_losses(int tensor, int pipeline, int data, string schedule, bool zero)
    {
        using var store = source.Saved.Copy();
        var options = ReshardingSource.Original with
        {
            TensorParallelSize = tensor, PipelineParallelSize = pipeline, DataParallelSize = data, Schedule = schedule, ShardOptimizerState = zero,
        };
        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None, ReshardingSource.Checkpointing(store.Store, 2) with { Observer = observer });

        var restored = Assert.Single(observer.Restored);
        Assert.Equal(ReshardingSource.Checkpoint, restored.Checkpoint);
        Assert.Empty(restored.Skipped);
        Assert.Equal(new CheckpointLayout(2, 2, 1), restored.SavedLayout);
        Assert.Equal(new CheckpointLayout(tensor, pipeline, data), restored.CurrentLayout);
        Assert.Equal(Steps - SavedAt, resumed.StepsCompleted);
        // PipeDream-2BW's first two batches after a restore both use the restored weights (its delayed update), so
        // only its first step follows the original's flushing rule.
        var compared = schedule == "2bw" ? 1 : Steps - SavedAt;
        for (var i = 0; i < compared; i++)
        {
            var expected = source.Continuing.Losses[SavedAt + i];
            Assert.True(Math.Abs(resumed.Losses[i] - expected) <= 1e-5, $"step {SavedAt + i}: {resumed.Losses[i]} after resharding, {expected} continuing the original");
        }
    }

    [Fact]
    public async Task Restoring_the_weights_with_fresh_optimizer_state_changes_the_second_step_beyond_the_tolerance()
    {
        // The same checkpoint with zero moments and step count 0, saved through the store's public API.
        using var store = new TemporaryCheckpointStore();
        var manifest = await source.Saved.Store.LoadManifestAsync(ReshardingSource.Checkpoint, CancellationToken.None);
        var tensors = await source.Saved.ReadAllAsync(manifest.Id);
        var metadata = new Dictionary<string, string>(manifest.Metadata) { ["optimizer.step"] = "0" };
        await store.Store.SaveAsync(
            new CheckpointSaveRequest(ReshardingSource.Job, SavedAt, 1, manifest.Layout, manifest.DataPosition,
                manifest.Tensors.Select(t => new TensorSource(t.Name, t.GlobalShape, t.DataType,
                [
                    ShardSource.FromBytes(new long[t.GlobalShape.Count], t.GlobalShape.ToArray(), 0,
                        t.Name.StartsWith("optimizer/", StringComparison.Ordinal) ? new byte[t.ByteLength] : MemoryMarshal.AsBytes(tensors[t.Name].AsSpan()).ToArray()),
                ])).ToList(),
                metadata),
            null,
            CancellationToken.None);

        var resumed = await TrainingLoop.RunAsync(ReshardingSource.Original with { TensorParallelSize = 1, PipelineParallelSize = 1, DataParallelSize = 2 },
            new RecordingObserver(), CancellationToken.None, ReshardingSource.Checkpointing(store.Store, 2));

        Assert.True(Math.Abs(resumed.Losses[0] - source.Continuing.Losses[SavedAt]) <= 1e-5, "the weights alone decide the first step's loss");
        var second = Math.Abs(resumed.Losses[1] - source.Continuing.Losses[SavedAt + 1]);
        Assert.True(second > 1e-4, $"without the optimizer state the second step's loss differs by only {second}");
    }
}
