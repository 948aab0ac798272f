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
    public async Task Each_job_keeps_its_own_number_of_checkpoints_when_collected_by_job()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        for (var step = 1; step <= 6; step++)
        {
            await temp.Store.SaveAsync(TemporaryStore.Request("small", step, 1, ("w", TemporaryStore.RandomBytes(32, step))), null, Ct);
            await temp.Store.SaveAsync(TemporaryStore.Request("large", step, 1, ("w", TemporaryStore.RandomBytes(32, 100 + step))), null, Ct);
        }

        var small = await temp.Store.CollectGarbageAsync("small", keep: 2, Ct);
        var large = await temp.Store.CollectGarbageAsync("large", keep: 5, Ct);

        Assert.Equal([new CheckpointId("small", 5, 1), new CheckpointId("small", 6, 1)], small.Kept);
        Assert.Equal(Enumerable.Range(1, 4).Select(step => new CheckpointId("small", step, 1)), small.DeletedCheckpoints);
        Assert.Equal(4, small.DeletedChunks);
        Assert.Equal(Enumerable.Range(2, 5).Select(step => new CheckpointId("large", step, 1)), large.Kept);
        Assert.Equal([new CheckpointId("large", 1, 1)], large.DeletedCheckpoints);
        Assert.Equal(1, large.DeletedChunks);
        Assert.Equal(Enumerable.Range(5, 2).Select(step => new CheckpointId("small", step, 1)), temp.Store.List("small"));
        Assert.Equal(Enumerable.Range(2, 5).Select(step => new CheckpointId("large", step, 1)), temp.Store.List("large"));
        Assert.Equal(2 + 5, temp.ChunkFileCount());
    }

    [Fact]
    public async Task A_job_scoped_collection_keeps_chunks_that_other_jobs_still_reference()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var shared = TemporaryStore.RandomBytes(32, 1);
        await temp.Store.SaveAsync(TemporaryStore.Request("base", 1, 1, ("w", shared), ("own", TemporaryStore.RandomBytes(32, 2))), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("base", 2, 1, ("w", TemporaryStore.RandomBytes(32, 3))), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("tune", 1, 1, ("w", shared)), null, Ct);

        var report = await temp.Store.CollectGarbageAsync("base", keep: 1, Ct);

        Assert.Equal([new CheckpointId("base", 1, 1)], report.DeletedCheckpoints);
        Assert.Equal(1, report.DeletedChunks); // base step 1's own chunk; its shared chunk is tune's too
        Assert.Equal([new CheckpointId("tune", 1, 1)], temp.Store.List("tune"));
        var tune = await temp.Store.LoadManifestAsync(new CheckpointId("tune", 1, 1), Ct);
        Assert.Equal(shared, await temp.Store.ReadTensorAsync(tune, "w", Ct));
    }

    [Fact]
    public async Task A_job_scoped_collection_leaves_other_jobs_damaged_manifests_alone()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("a", 1, 1, ("w", [1])), null, Ct);
        var other = await temp.Store.SaveAsync(TemporaryStore.Request("b", 1, 1, ("w", [2])), null, Ct);
        await File.WriteAllTextAsync(temp.ManifestPath(other.Manifest.Id), "{", Ct);

        var report = await temp.Store.CollectGarbageAsync("a", keep: 1, Ct);

        Assert.Empty(report.DamagedManifests);
        Assert.True(File.Exists(temp.ManifestPath(other.Manifest.Id)));
        Assert.Equal([new CheckpointId("a", 1, 1)], report.Kept);
    }

    [Fact]
    public async Task A_job_scoped_collection_refuses_a_bad_job_id_or_keep_below_one()
    {
        using var temp = new TemporaryStore();

        var badJob = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.CollectGarbageAsync("a/b", 1, Ct));
        var badKeep = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => temp.Store.CollectGarbageAsync("a", 0, Ct));

        Assert.Contains("job id", badJob.Message);
        Assert.Contains("keep must be at least 1", badKeep.Message);
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
