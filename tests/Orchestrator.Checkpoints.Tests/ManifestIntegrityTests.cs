using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class ManifestIntegrityTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_torn_manifest_is_refused_as_damaged()
    {
        using var temp = new TemporaryStore();
        var id = (await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(200, 1))), null, Ct)).Manifest.Id;
        var path = temp.ManifestPath(id);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)], Ct);

        var error = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.LoadManifestAsync(id, Ct));

        Assert.Contains("cannot be read", error.Message);
    }

    [Fact]
    public async Task A_manifest_altered_but_still_valid_json_fails_its_checksum()
    {
        using var temp = new TemporaryStore();
        var id = (await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(200, 1))), null, Ct)).Manifest.Id;
        var path = temp.ManifestPath(id);
        var text = await File.ReadAllTextAsync(path, Ct);
        Assert.Contains("\"dataPosition\":8,", text);
        await File.WriteAllTextAsync(path, text.Replace("\"dataPosition\":8,", "\"dataPosition\":9,", StringComparison.Ordinal), Ct);

        var error = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.LoadManifestAsync(id, Ct));

        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public async Task A_checkpoint_without_a_committed_manifest_does_not_exist()
    {
        using var temp = new TemporaryStore();

        var error = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.LoadManifestAsync(new CheckpointId("job", 7, 1), Ct));

        Assert.Contains("does not exist", error.Message);
        Assert.Empty(temp.Store.List("job"));
        Assert.Null(await temp.Store.LatestValidAsync("job", Ct));
    }

    [Fact]
    public async Task Overlapping_shards_are_refused_before_anything_is_written()
    {
        using var temp = new TemporaryStore();
        var bytes = new byte[8];
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0,
            [new TensorSource("w", [10], TensorDataType.UInt8, [ShardSource.FromBytes([0], [8], 0, bytes), ShardSource.FromBytes([2], [8], 1, bytes)])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Contains("overlap", error.Message);
        Assert.Equal(0, temp.ChunkFileCount());
    }

    [Fact]
    public async Task Shards_that_leave_part_of_a_tensor_uncovered_are_refused()
    {
        using var temp = new TemporaryStore();
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0,
            [new TensorSource("w", [4, 4], TensorDataType.Float32, [ShardSource.FromBytes([0, 0], [2, 4], 0, new byte[32])])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Contains("cover 8 of its 16 elements", error.Message);
    }

    [Fact]
    public async Task A_shard_whose_byte_length_does_not_match_its_box_is_refused()
    {
        using var temp = new TemporaryStore();
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0,
            [new TensorSource("w", [4], TensorDataType.Float32, [ShardSource.FromBytes([0], [4], 0, new byte[15])])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Contains("has 15 bytes", error.Message);
        Assert.Contains("needs 16", error.Message);
    }

    [Fact]
    public async Task A_shard_outside_the_global_shape_is_refused_naming_the_dimension()
    {
        using var temp = new TemporaryStore();
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0,
            [new TensorSource("w", [2, 3], TensorDataType.UInt8, [ShardSource.FromBytes([0, 1], [2, 3], 0, new byte[6])])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Contains("dimension 1 spans [1, 4)", error.Message);
    }

    [Fact]
    public async Task A_layout_with_a_size_below_one_is_refused_naming_it()
    {
        using var temp = new TemporaryStore();
        var request = TemporaryStore.Request("job", 1, 1, ("w", [1])) with { Layout = new CheckpointLayout(2, 0, 1) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.SaveAsync(request, null, Ct));

        Assert.Contains("PipelineParallelSize", error.Message);
    }
}
