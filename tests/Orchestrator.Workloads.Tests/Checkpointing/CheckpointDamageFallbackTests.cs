using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// A newest checkpoint damaged in ways other than a corrupt chunk (a tensor missing, of another shape or type, an I/O
/// error) makes the restore fall back to the previous one instead of failing the worker; and a new attempt fences
/// its predecessor in the store as soon as it starts.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CheckpointDamageFallbackTests
{
    private static readonly TrainingOptions Options = CheckpointResumeTests.Small with { Layers = 2 };
    private static readonly string Victim = CheckpointTensorNames.Model("layers.1.mlp.up.weight");

    [Theory]
    [InlineData("missing tensor", "has no tensor")]
    [InlineData("shape", "but this model needs float32")]
    [InlineData("dtype", "is Int32")]
    [InlineData("io error", "cannot be read")]
    public async Task A_newest_checkpoint_damaged_in_any_way_is_skipped_for_the_previous_one(string damage, string reason)
    {
        using var temp = new TemporaryCheckpointStore();
        var reference = await TrainingLoop.RunAsync(Options with { Steps = 6 }, new RecordingObserver(), CancellationToken.None);
        var first = await TrainingLoop.RunAsync(Options with { Steps = 4 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1));
        var damaged = await DamageAsync(temp, first.LastCommitted!, damage);

        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(Options with { Steps = 6 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 2) with { Observer = observer });

        var restored = Assert.Single(observer.Restored);
        Assert.Equal(first.LastCommitted, restored.Checkpoint);
        var skipped = Assert.Single(restored.Skipped);
        Assert.Equal(damaged, skipped.Checkpoint);
        Assert.Contains(reason, skipped.Reason, StringComparison.Ordinal);
        LossAssert.Close(reference.Losses.Skip(4), resumed.Losses, 1e-6);
    }

    [Fact]
    public async Task A_new_attempt_fences_the_previous_one_in_the_store_when_it_starts()
    {
        using var temp = new TemporaryCheckpointStore();
        await TrainingLoop.RunAsync(Options with { Steps = 2 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 2));

        var observer = new RecordingCheckpointObserver();
        var zombie = await TrainingLoop.RunAsync(Options with { Steps = 4 }, new RecordingObserver(), CancellationToken.None, Checkpointing(temp.Store, 1) with { Observer = observer });

        var failed = Assert.Single(observer.Failed);
        Assert.True(failed.Fenced);
        Assert.Contains("attempt 2 has started", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Committed);
        Assert.Null(zombie.LastCommitted);
        Assert.Equal([new CheckpointId("job", 2, 2)], temp.Store.List("job"));
    }

    /// <summary>Commits a damaged copy of <paramref name="id"/> two steps later, so it is the newest; returns its id.</summary>
    private static async Task<CheckpointId> DamageAsync(TemporaryCheckpointStore temp, CheckpointId id, string damage)
    {
        var manifest = await temp.Store.LoadManifestAsync(id, CancellationToken.None);
        var tensors = new List<TensorSource>();
        foreach (var tensor in manifest.Tensors)
        {
            var bytes = await temp.Store.ReadTensorAsync(manifest, tensor.Name, CancellationToken.None);
            var (shape, type) = (tensor.GlobalShape.ToArray(), tensor.DataType);
            if (tensor.Name == Victim)
            {
                if (damage == "missing tensor") continue;
                if (damage == "shape") shape = [shape.Aggregate(1L, (a, b) => a * b)];
                if (damage == "dtype") type = TensorDataType.Int32;
                if (damage == "io error") bytes[0] ^= 0x5a; // a chunk of its own, so the older checkpoint keeps its chunks
            }

            tensors.Add(new TensorSource(tensor.Name, shape, type, [ShardSource.FromBytes(new long[shape.Length], shape, 0, bytes)]));
        }

        var newer = id with { Step = id.Step + 2 };
        var saved = await temp.Store.SaveAsync(
            new CheckpointSaveRequest(newer.JobId, newer.Step, newer.Attempt, manifest.Layout, manifest.DataPosition, tensors, manifest.Metadata), null, CancellationToken.None);
        if (damage == "io error")
        {
            var chunk = saved.Manifest.Tensor(Victim).Shards[0].Chunks[0];
            var path = temp.ChunkPath(chunk);
            File.Delete(path);
            Directory.CreateDirectory(path); // reading it fails with EISDIR, as a bad sector would fail it
        }

        return newer;
    }

    private static TrainingCheckpointing Checkpointing(CheckpointStore store, int attempt) =>
        new(store, "job", attempt, CheckpointInterval.EverySteps(2));
}
