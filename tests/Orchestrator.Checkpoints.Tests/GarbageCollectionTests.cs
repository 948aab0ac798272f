using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class GarbageCollectionTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Collection_keeps_the_newest_checkpoints_per_job_and_removes_chunks_only_older_ones_used()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var shared = TemporaryStore.RandomBytes(64, 99);
        for (var step = 1; step <= 4; step++)
        {
            await temp.Store.SaveAsync(TemporaryStore.Request("a", step, 1, ("shared", shared), ("own", TemporaryStore.RandomBytes(32, step))), null, Ct);
        }

        await temp.Store.SaveAsync(TemporaryStore.Request("b", 1, 1, ("own", TemporaryStore.RandomBytes(32, 50))), null, Ct);

        var report = await temp.Store.CollectGarbageAsync(keep: 2, Ct);

        Assert.Equal([new CheckpointId("a", 3, 1), new CheckpointId("a", 4, 1), new CheckpointId("b", 1, 1)], report.Kept);
        Assert.Equal([new CheckpointId("a", 1, 1), new CheckpointId("a", 2, 1)], report.DeletedCheckpoints);
        Assert.Equal(2, report.DeletedChunks);
        Assert.Equal(64, report.FreedBytes);
        Assert.Equal(2 + 2 + 1, temp.ChunkFileCount());
        foreach (var id in report.Kept)
        {
            await temp.Store.VerifyAsync(await temp.Store.LoadManifestAsync(id, Ct), Ct);
        }
    }

    [Fact]
    public async Task A_pinned_checkpoint_survives_collection_until_unpinned()
    {
        using var temp = new TemporaryStore();
        for (var step = 1; step <= 3; step++)
        {
            await temp.Store.SaveAsync(TemporaryStore.Request("job", step, 1, ("w", TemporaryStore.RandomBytes(64, step))), null, Ct);
        }

        var pinned = new CheckpointId("job", 1, 1);
        temp.Store.Pin(pinned);
        var whilePinned = await temp.Store.CollectGarbageAsync(keep: 1, Ct);
        temp.Store.Unpin(pinned);
        var afterUnpin = await temp.Store.CollectGarbageAsync(keep: 1, Ct);

        Assert.Equal([pinned, new CheckpointId("job", 3, 1)], whilePinned.Kept);
        Assert.Equal([new CheckpointId("job", 2, 1)], whilePinned.DeletedCheckpoints);
        Assert.Equal([pinned], afterUnpin.DeletedCheckpoints);
        Assert.Equal([new CheckpointId("job", 3, 1)], temp.Store.List("job"));
    }

    [Fact]
    public void Pinning_a_checkpoint_that_is_not_committed_is_refused()
    {
        using var temp = new TemporaryStore();

        var error = Assert.Throws<KeyNotFoundException>(() => temp.Store.Pin(new CheckpointId("job", 1, 1)));

        Assert.Contains("not committed", error.Message);
    }

    [Fact]
    public async Task Keep_below_one_is_refused()
    {
        using var temp = new TemporaryStore();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => temp.Store.CollectGarbageAsync(0, Ct));

        Assert.Contains("keep must be at least 1", error.Message);
    }

    [Fact]
    public async Task Chunks_of_a_save_in_flight_are_not_collected_and_its_commit_is_sound()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var chunksWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mayCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The fence runs after every chunk is published and before the manifest exists: the save is in flight there.
        CommitFence fence = async (_, token) =>
        {
            chunksWritten.SetResult();
            await mayCommit.Task.WaitAsync(token);
            return true;
        };
        var bytes = TemporaryStore.RandomBytes(320, 3);

        var save = temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), fence, Ct);
        await chunksWritten.Task;
        var report = await temp.Store.CollectGarbageAsync(keep: 1, Ct);
        mayCommit.SetResult();
        var result = await save;

        Assert.Equal(0, report.DeletedChunks);
        Assert.Equal(10, temp.ChunkFileCount());
        await temp.Store.VerifyAsync(result.Manifest, Ct);
        Assert.Equal(bytes, await temp.Store.ReadTensorAsync(result.Manifest, "w", Ct));
    }

    [Fact]
    public async Task Chunks_of_a_failed_save_are_collected_once_its_lease_is_released()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        CommitFence refuse = (_, _) => ValueTask.FromResult(false);
        await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(96, 1))), refuse, Ct));

        var report = await temp.Store.CollectGarbageAsync(keep: 1, Ct);

        Assert.Equal(3, report.DeletedChunks);
        Assert.Equal(0, temp.ChunkFileCount());
    }

    [Fact]
    public async Task An_expired_lease_no_longer_protects_its_chunks_and_its_save_fails_at_commit()
    {
        var clock = new ShiftedClock();
        using var temp = new TemporaryStore(chunkSize: 32, clock, o => o with { LeaseExpiry = TimeSpan.FromMinutes(10) });
        var chunksWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mayCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CommitFence fence = async (_, token) =>
        {
            chunksWritten.SetResult();
            await mayCommit.Task.WaitAsync(token);
            return true;
        };

        var save = temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(64, 1))), fence, Ct);
        await chunksWritten.Task;
        clock.Offset = TimeSpan.FromMinutes(11);
        var report = await temp.Store.CollectGarbageAsync(keep: 1, Ct);
        mayCommit.SetResult();
        var error = await Assert.ThrowsAsync<IOException>(() => save);

        Assert.Equal(1, report.ExpiredLeases);
        Assert.Equal(2, report.DeletedChunks);
        Assert.Contains("lease expiry", error.Message);
        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task Damaged_manifests_do_not_count_towards_keep_and_are_removed()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", [1])), null, Ct);
        var newest = await temp.Store.SaveAsync(TemporaryStore.Request("job", 2, 1, ("w", [2])), null, Ct);
        await File.WriteAllTextAsync(temp.ManifestPath(newest.Manifest.Id), "{", Ct);

        var report = await temp.Store.CollectGarbageAsync(keep: 1, Ct);

        Assert.Equal([new CheckpointId("job", 1, 1)], report.Kept);
        Assert.Single(report.DamagedManifests);
        Assert.Equal([new CheckpointId("job", 1, 1)], temp.Store.List("job"));
    }
}
