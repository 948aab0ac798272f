using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class CheckpointStoreTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Saved_tensors_read_back_byte_for_byte_with_the_manifest_fields_recorded()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var weights = TemporaryStore.RandomBytes(1000, seed: 1); // not a multiple of the chunk size: a short last chunk
        var bias = TemporaryStore.RandomBytes(7, seed: 2);
        var request = TemporaryStore.Request("gpt-small", 100, 2, ("w", weights), ("b", bias)) with
        {
            Metadata = new Dictionary<string, string> { ["seed"] = "1234" },
        };

        var result = await temp.Store.SaveAsync(request, fence: null, Ct);
        var manifest = await temp.Store.LoadManifestAsync(new CheckpointId("gpt-small", 100, 2), Ct);

        Assert.Equal(result.Manifest.Id, manifest.Id);
        Assert.Equal(TemporaryStore.Layout, manifest.Layout);
        Assert.Equal(800, manifest.DataPosition);
        Assert.Equal(64, manifest.ChunkSize);
        Assert.Equal("1234", manifest.Metadata["seed"]);
        Assert.Equal(16, manifest.Tensor("w").Shards[0].Chunks.Count);
        Assert.Equal(weights, await temp.Store.ReadTensorAsync(manifest, "w", Ct));
        Assert.Equal(bias, await temp.Store.ReadTensorAsync(manifest, "b", Ct));
        Assert.Equal(1007, result.WrittenBytes);
    }

    [Fact]
    public async Task A_shard_offered_through_a_copy_callback_saves_the_bytes_the_callback_delivers()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var device = TemporaryStore.RandomBytes(100, seed: 8); // stands in for memory only the callback can read
        var shard = new ShardSource([0, 0], [10, 10], 0, 100, (offset, destination) => device.AsSpan((int)offset, destination.Length).CopyTo(destination));
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0, [new TensorSource("w", [10, 10], TensorDataType.UInt8, [shard])]);

        var result = await temp.Store.SaveAsync(request, null, Ct);

        Assert.Null(shard.HostBytes);
        Assert.Equal(device, await temp.Store.ReadTensorAsync(result.Manifest, "w", Ct));
    }

    [Fact]
    public async Task Unchanged_chunks_are_stored_once_across_steps_and_jobs()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var frozen = TemporaryStore.RandomBytes(640, seed: 3);
        var first = await temp.Store.SaveAsync(TemporaryStore.Request("base", 10, 1, ("frozen", frozen), ("head", TemporaryStore.RandomBytes(64, 4))), null, Ct);
        var nextStep = await temp.Store.SaveAsync(TemporaryStore.Request("base", 20, 1, ("frozen", frozen), ("head", TemporaryStore.RandomBytes(64, 5))), null, Ct);
        var otherJob = await temp.Store.SaveAsync(TemporaryStore.Request("fine-tune", 5, 1, ("frozen", frozen), ("head", TemporaryStore.RandomBytes(64, 6))), null, Ct);

        Assert.Equal(11, first.ChunksWritten);
        Assert.Equal((1, 10), (nextStep.ChunksWritten, nextStep.ChunksReused));
        Assert.Equal((1, 10), (otherJob.ChunksWritten, otherJob.ChunksReused));
        Assert.Equal(13, temp.ChunkFileCount());
        var usage = await temp.Store.GetUsageAsync(Ct);
        Assert.Equal(3 * 704, usage.LogicalBytes);
        Assert.Equal(13 * 64, usage.StoredBytes);
        Assert.Equal(3 * 704 / (13.0 * 64), usage.DeduplicationRatio, 9);
    }

    [Fact]
    public async Task Identical_chunks_within_one_save_are_stored_once()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var zeros = new byte[64 * 8];

        var result = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("zeros", zeros)), null, Ct);

        Assert.Equal((1, 7), (result.ChunksWritten, result.ChunksReused));
        Assert.Equal(64, result.WrittenBytes);
        Assert.Equal(1, temp.ChunkFileCount());
    }

    [Fact]
    public async Task A_save_leaves_no_temporary_files_and_the_manifest_is_the_only_file_under_the_job()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(300, 7))), null, Ct);

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "tmp")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "leases")));
        Assert.Equal([temp.ManifestPath(new CheckpointId("job", 1, 1))], Directory.EnumerateFiles(Path.Combine(temp.Root, "jobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_save_that_fails_part_way_leaves_no_manifest_lease_or_temporary_files_and_its_chunks_are_collected()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var bytes = TemporaryStore.RandomBytes(320, seed: 9);
        var failing = new ShardSource([0], [320], 0, 320, (offset, destination) =>
        {
            if (offset >= 256) throw new IOException("device read failed");
            bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
        });
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0, [new TensorSource("w", [320], TensorDataType.UInt8, [failing])]);

        var error = await Assert.ThrowsAsync<IOException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Equal("device read failed", error.Message);
        Assert.Empty(temp.Store.List("job"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "tmp")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "leases")));
        // Chunks published before the failure are orphans; with the lease gone the next collection removes them.
        await temp.Store.CollectGarbageAsync(keep: 1, Ct);
        Assert.Equal(0, temp.ChunkFileCount());
    }

    [Fact]
    public async Task Checkpoints_are_listed_oldest_first_by_step_then_attempt()
    {
        using var temp = new TemporaryStore();
        // Saved in attempt order: once attempt 2 has committed, attempt 1 may not.
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", [1])), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 1, ("w", [2])), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 2, ("w", [3])), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1000, 2, ("w", [4])), null, Ct);

        Assert.Equal(
            [new CheckpointId("job", 100, 1), new CheckpointId("job", 200, 1), new CheckpointId("job", 200, 2), new CheckpointId("job", 1000, 2)],
            temp.Store.List("job"));
    }

    [Fact]
    public async Task Saving_the_same_step_and_attempt_twice_is_refused()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 5, 1, ("w", [1])), null, Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 5, 1, ("w", [2])), null, Ct));

        Assert.Contains("already committed", error.Message);
        var manifest = await temp.Store.LoadManifestAsync(new CheckpointId("job", 5, 1), Ct);
        Assert.Equal([1], await temp.Store.ReadTensorAsync(manifest, "w", Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("job id")]
    public void A_job_id_that_cannot_name_a_directory_is_refused(string jobId)
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointId.ValidateJobId(jobId));

        Assert.Contains("job id", error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new CheckpointStore(new CheckpointStoreOptions { Root = Path.GetTempPath(), ChunkSize = 3 }));

        Assert.Contains("ChunkSize", error.Message);
        Assert.Contains("between", error.Message);
    }
}
