using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Tests;

public sealed class VerificationTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_corrupted_chunk_is_detected_and_the_previous_checkpoint_is_used()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var older = await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", TemporaryStore.RandomBytes(256, 1))), null, Ct);
        var newer = await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 1, ("w", TemporaryStore.RandomBytes(256, 2))), null, Ct);
        var victim = newer.Manifest.Tensor("w").Shards[0].Chunks[2];
        var bytes = await File.ReadAllBytesAsync(temp.ChunkPath(victim), Ct);
        bytes[10] ^= 0x40;
        await File.WriteAllBytesAsync(temp.ChunkPath(victim), bytes, Ct);

        var verify = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.VerifyAsync(newer.Manifest, Ct));
        var read = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.ReadTensorAsync(newer.Manifest, "w", Ct));
        var skipped = new List<CheckpointDamagedException>();
        var latest = await temp.Store.LatestValidAsync("job", Ct, skipped);

        Assert.Contains($"chunk {victim} is corrupt", verify.Message);
        Assert.Contains("corrupt", read.Message);
        Assert.Equal(older.Manifest.Id, latest?.Id);
        Assert.Equal(newer.Manifest.Id.ToString(), Assert.Single(skipped).Checkpoint);
    }

    [Fact]
    public async Task A_missing_chunk_is_detected_and_the_previous_checkpoint_is_used()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var older = await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", TemporaryStore.RandomBytes(256, 1))), null, Ct);
        var newer = await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 1, ("w", TemporaryStore.RandomBytes(256, 2))), null, Ct);
        File.Delete(temp.ChunkPath(newer.Manifest.Tensor("w").Shards[0].Chunks[3]));

        var error = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.VerifyAsync(newer.Manifest, Ct));
        var latest = await temp.Store.LatestValidAsync("job", Ct);

        Assert.Contains("is missing", error.Message);
        Assert.Equal(older.Manifest.Id, latest?.Id);
    }

    [Fact]
    public async Task A_truncated_chunk_is_detected_by_its_length()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var saved = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(128, 1))), null, Ct);
        var path = temp.ChunkPath(saved.Manifest.Tensor("w").Shards[0].Chunks[0]);
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(path, Ct))[..60], Ct);

        var error = await Assert.ThrowsAsync<CheckpointDamagedException>(() => temp.Store.VerifyAsync(saved.Manifest, Ct));

        Assert.Contains("has 60 bytes, the manifest expects 64", error.Message);
    }

    [Fact]
    public async Task A_torn_newest_manifest_falls_back_to_the_previous_checkpoint()
    {
        using var temp = new TemporaryStore();
        var older = await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", [1, 2, 3])), null, Ct);
        var newer = await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 1, ("w", [4, 5, 6])), null, Ct);
        await File.WriteAllTextAsync(temp.ManifestPath(newer.Manifest.Id), "{\"format\":\"orchestrator.checkpoint/v1\",\"sha", Ct);

        var latest = await temp.Store.LatestValidAsync("job", Ct);

        Assert.Equal(older.Manifest.Id, latest?.Id);
        Assert.Equal([1, 2, 3], await temp.Store.ReadTensorAsync(latest!, "w", Ct));
    }

    [Fact]
    public async Task When_every_checkpoint_is_damaged_there_is_no_latest_valid_one()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var only = await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", TemporaryStore.RandomBytes(64, 1))), null, Ct);
        File.Delete(temp.ChunkPath(only.Manifest.Tensor("w").Shards[0].Chunks[0]));

        Assert.Null(await temp.Store.LatestValidAsync("job", Ct));
    }

    [Fact]
    public async Task A_dedup_hit_on_a_truncated_chunk_rewrites_it_so_the_new_checkpoint_is_sound()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var bytes = TemporaryStore.RandomBytes(64, 1);
        var first = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), null, Ct);
        var path = temp.ChunkPath(first.Manifest.Tensor("w").Shards[0].Chunks[0]);
        await File.WriteAllBytesAsync(path, bytes[..10], Ct);

        var second = await temp.Store.SaveAsync(TemporaryStore.Request("job", 2, 1, ("w", bytes)), null, Ct);

        Assert.Equal(1, second.ChunksWritten);
        await temp.Store.VerifyAsync(second.Manifest, Ct);
        Assert.Equal(new CheckpointId("job", 2, 1), (await temp.Store.LatestValidAsync("job", Ct))?.Id);
    }
}
