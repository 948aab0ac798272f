using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// Damage that reading must survive without crashing or allocating what a file claims: oversized and unreadable
/// chunks and manifests fall back to the previous checkpoint; a stored chunk whose bytes changed is not reused.
/// </summary>
public sealed class DamageFallbackTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task An_oversized_chunk_file_is_damage_found_without_reading_it_and_the_previous_checkpoint_is_used()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var (older, newer) = await TwoCheckpointsAsync(temp);
        var victim = temp.ChunkPath(newer.Tensor("w").Shards[0].Chunks[1]);
        using (var file = File.OpenHandle(victim, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(file, 64L << 30); // sparse: 64 GiB claimed, nothing allocated on the disk
        }

        var skipped = new List<CheckpointDamagedException>();
        var latest = await temp.Store.LatestValidAsync("job", Ct, skipped);

        Assert.Equal(older.Id, latest?.Id);
        Assert.Contains($"has {64L << 30} bytes, the manifest expects 64", Assert.Single(skipped).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_that_cannot_be_read_is_damage_and_the_previous_checkpoint_is_used()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var (older, newer) = await TwoCheckpointsAsync(temp);
        var victim = temp.ChunkPath(newer.Tensor("w").Shards[0].Chunks[2]);
        File.Delete(victim);
        Directory.CreateDirectory(victim); // reading it fails with an I/O error (EISDIR), as a bad sector would

        var skipped = new List<CheckpointDamagedException>();
        var latest = await temp.Store.LatestValidAsync("job", Ct, skipped);

        Assert.Equal(older.Id, latest?.Id);
        Assert.Contains("cannot be read", Assert.Single(skipped).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_manifest_is_refused_before_it_is_read()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var (older, newer) = await TwoCheckpointsAsync(temp);
        using (var file = File.OpenHandle(temp.ManifestPath(newer.Id), FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(file, 3L << 30);
        }

        var skipped = new List<CheckpointDamagedException>();
        var latest = await temp.Store.LatestValidAsync("job", Ct, skipped);

        Assert.Equal(older.Id, latest?.Id);
        Assert.Contains("more than the 536870912 a manifest may have", Assert.Single(skipped).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_read_is_damage_and_the_previous_checkpoint_is_used()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var (older, newer) = await TwoCheckpointsAsync(temp);
        File.Delete(temp.ManifestPath(newer.Id));
        File.CreateSymbolicLink(temp.ManifestPath(newer.Id), temp.ManifestPath(newer.Id)); // listed like a manifest; opening it fails (ELOOP)

        var skipped = new List<CheckpointDamagedException>();
        var latest = await temp.Store.LatestValidAsync("job", Ct, skipped);

        Assert.Equal(older.Id, latest?.Id);
        Assert.Contains("cannot be read", Assert.Single(skipped).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_chunk_whose_bytes_changed_is_not_reused_but_written_again_which_repairs_older_checkpoints()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var bytes = TemporaryStore.RandomBytes(256, 7);
        var first = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), null, Ct);
        var victim = temp.ChunkPath(first.Manifest.Tensor("w").Shards[0].Chunks[1]);
        var stored = await File.ReadAllBytesAsync(victim, Ct);
        stored[5] ^= 0x01; // same length: only its content tells
        await File.WriteAllBytesAsync(victim, stored, Ct);

        var second = await temp.Store.SaveAsync(TemporaryStore.Request("job", 2, 1, ("w", bytes)), null, Ct);

        Assert.Equal(1, second.ChunksWritten);
        Assert.Equal(3, second.ChunksReused);
        await temp.Store.VerifyAsync(second.Manifest, Ct);
        await temp.Store.VerifyAsync(first.Manifest, Ct); // the same chunk: repaired for it too
    }

    [Fact]
    public async Task A_tensor_too_large_for_one_array_is_refused_naming_the_way_to_read_it()
    {
        using var temp = new TemporaryStore(chunkSize: 64);
        var saved = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", [1, 2, 3])), null, Ct);
        var huge = saved.Manifest with { Tensors = [saved.Manifest.Tensors[0] with { GlobalShape = [1L << 32], DataType = TensorDataType.UInt8 }] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.ReadTensorAsync(huge, "w", Ct));

        Assert.Contains("ReadSliceAsync", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(CheckpointManifest Older, CheckpointManifest Newer)> TwoCheckpointsAsync(TemporaryStore temp)
    {
        CheckpointSaveResult older = await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 1, ("w", TemporaryStore.RandomBytes(256, 1))), null, Ct);
        CheckpointSaveResult newer = await temp.Store.SaveAsync(TemporaryStore.Request("job", 200, 1, ("w", TemporaryStore.RandomBytes(256, 2))), null, Ct);
        return (older.Manifest, newer.Manifest);
    }
}
