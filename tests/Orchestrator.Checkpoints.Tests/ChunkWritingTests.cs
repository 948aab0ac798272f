using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// How chunks reach the disk: direct I/O from aligned memory (snapshot buffers, the writers' scratch buffers) or via
/// a bounce copy (unaligned host memory), padded to whole blocks and cut back to the chunk's length, or through the
/// page cache where direct I/O is off or refused. Whatever the path, the stored bytes and file lengths are exact.
/// </summary>
public sealed class ChunkWritingTests
{
    // Two whole 4 KiB blocks and 100 bytes: every chunk needs a padded tail; the last chunk of a shard is shorter still.
    private const int ChunkSize = 2 * DirectIo.Alignment + 100;

    private static CancellationToken Ct => CancellationToken.None;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Host_memory_at_any_alignment_and_copied_shards_store_exactly_their_bytes(bool directIo)
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize, configure: o => o with { DirectIo = directIo });
        var backing = TemporaryStore.RandomBytes(3 * ChunkSize + 1001, seed: 11);
        var unaligned = backing.AsMemory(1, 3 * ChunkSize + 1000); // starts one byte into the array: never block-aligned
        var device = TemporaryStore.RandomBytes(ChunkSize + 5, seed: 12);
        var copied = new ShardSource([0], [device.Length], 0, device.Length, (offset, destination) => device.AsSpan((int)offset, destination.Length).CopyTo(destination));
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0,
        [
            new TensorSource("host", [unaligned.Length], TensorDataType.UInt8, [ShardSource.FromBytes([0], [unaligned.Length], 0, unaligned)]),
            new TensorSource("copied", [device.Length], TensorDataType.UInt8, [copied]),
        ]);

        var result = await temp.Store.SaveAsync(request, null, Ct);

        Assert.Equal(unaligned.ToArray(), await temp.Store.ReadTensorAsync(result.Manifest, "host", Ct));
        Assert.Equal(device, await temp.Store.ReadTensorAsync(result.Manifest, "copied", Ct));
        AssertChunkFilesHaveExactLengths(temp, result.Manifest);
        Assert.Equal(ExpectedDirectWrites(temp, directIo, result.ChunksWritten), temp.Store.Chunks.DirectWrites);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Snapshot_buffers_are_written_in_place_and_read_back_exactly(bool directIo)
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize, configure: o => o with { DirectIo = directIo });
        await using var saver = new AsyncCheckpointSaver(temp.Store);
        var weights = TemporaryStore.RandomBytes(4 * ChunkSize - 7, seed: 13);

        var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", 1, 1, ("w", weights)), Ct);
        var result = await ticket.Completion!;

        Assert.Equal(weights, await temp.Store.ReadTensorAsync(result.Manifest, "w", Ct));
        AssertChunkFilesHaveExactLengths(temp, result.Manifest);
        Assert.Equal(ExpectedDirectWrites(temp, directIo, result.ChunksWritten), temp.Store.Chunks.DirectWrites);
    }

    [Fact]
    public async Task Every_chunk_is_in_place_and_nothing_is_left_in_tmp_before_the_manifest_is_committed()
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize);
        var bytes = TemporaryStore.RandomBytes(20 * ChunkSize, seed: 14);
        var atCommit = (InPlace: 0, Staged: -1);
        // The fence runs after the last chunk is published and before the manifest is written.
        CommitFence fence = (_, _) =>
        {
            atCommit = (temp.ChunkFileCount(), Directory.EnumerateFiles(Path.Combine(temp.Root, "tmp")).Count());
            return ValueTask.FromResult(true);
        };

        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), fence, Ct);

        Assert.Equal((20, 0), atCommit);
    }

    [Fact]
    public async Task A_chunk_that_cannot_be_published_fails_the_save_and_leaves_no_staged_files()
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize);
        // A directory where a chunk's fan-out directory must go: the chunk can be staged but not renamed into place.
        var bytes = TemporaryStore.RandomBytes(6 * ChunkSize, seed: 16);
        var firstHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, ChunkSize)));
        await File.WriteAllBytesAsync(Path.Combine(temp.Root, "chunks", firstHash[..2]), [0], Ct);

        await Assert.ThrowsAnyAsync<IOException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), null, Ct));

        Assert.Empty(temp.Store.List("job"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "tmp")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "leases")));
    }

    [Fact]
    public async Task A_shorter_file_under_a_chunks_name_is_damage_that_the_next_save_replaces()
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize);
        var bytes = TemporaryStore.RandomBytes(ChunkSize, seed: 15);
        var first = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), null, Ct);
        var hash = Assert.Single(first.Manifest.ChunkHashes);
        await File.WriteAllBytesAsync(temp.ChunkPath(hash), bytes.AsMemory(0, 100).ToArray(), Ct); // torn copy from outside the store

        var second = await temp.Store.SaveAsync(TemporaryStore.Request("job", 2, 1, ("w", bytes)), null, Ct);

        Assert.Equal((1, 0), (second.ChunksWritten, second.ChunksReused));
        Assert.Equal(bytes, await temp.Store.ReadTensorAsync(first.Manifest, "w", Ct));
    }

    /// <summary>
    /// Every chunk a save wrote went through direct I/O when it was asked for and the store's file system accepts it
    /// (probed independently of the writer), and none did otherwise.
    /// </summary>
    private static long ExpectedDirectWrites(TemporaryStore temp, bool directIo, int chunksWritten)
    {
        if (!directIo) return 0;
        var probe = Path.Combine(temp.Root, "tmp", "direct-io-probe");
        using var file = DirectIo.TryCreate(probe);
        File.Delete(probe);
        return file is null ? 0 : chunksWritten;
    }

    private static void AssertChunkFilesHaveExactLengths(TemporaryStore temp, CheckpointManifest manifest)
    {
        foreach (var shard in manifest.Tensors.SelectMany(t => t.Shards))
        {
            for (var i = 0; i < shard.Chunks.Count; i++)
            {
                var expected = Math.Min(manifest.ChunkSize, shard.ByteLength - (long)i * manifest.ChunkSize);
                Assert.Equal(expected, new FileInfo(temp.ChunkPath(shard.Chunks[i])).Length);
            }
        }
    }
}
