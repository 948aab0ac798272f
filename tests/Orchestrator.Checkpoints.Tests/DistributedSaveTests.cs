using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// A save split over processes: each writes its part (chunks and shard list), the coordinator merges and commits.
/// A checkpoint exists only when the parts cover every tensor exactly once and the fences agree; parts never
/// leave a manifest behind on their own and are removed once the commit is decided.
/// </summary>
public sealed class DistributedSaveTests
{
    private static readonly CheckpointId Id = new("job", 10, 2);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Two_parts_that_cover_each_tensor_commit_as_one_checkpoint_that_reads_back_whole()
    {
        using var temp = new TemporaryStore();
        var bytes = TemporaryStore.RandomBytes(300, 7);

        var first = await temp.Store.WritePartAsync(Part(bytes, 0, 100, rank: 0), 0, Ct);
        var second = await temp.Store.WritePartAsync(Part(bytes, 100, 200, rank: 1), 1, Ct);
        Assert.Empty(temp.Store.List("job"));
        var result = await temp.Store.CommitPartsAsync(Id, 2, fence: null, Ct);

        Assert.Equal([Id], temp.Store.List("job"));
        Assert.Equal(300, result.Manifest.LogicalBytes);
        // What the parts wrote is what the checkpoint reports; the write lasted at least as long as its slowest part.
        Assert.Equal(first.WrittenBytes + second.WrittenBytes, result.WrittenBytes);
        Assert.Equal(first.ChunksWritten + second.ChunksWritten, result.ChunksWritten);
        Assert.True(result.WriteDuration >= first.WriteDuration && result.WriteDuration >= second.WriteDuration);
        Assert.Equal(bytes, await temp.Store.ReadTensorAsync(await temp.Store.LoadManifestAsync(Id, Ct), "w", Ct));
        Assert.False(Directory.Exists(PartsOf(temp)));
    }

    [Fact]
    public async Task Parts_that_leave_a_gap_are_refused_and_nothing_is_committed()
    {
        using var temp = new TemporaryStore();
        var bytes = TemporaryStore.RandomBytes(300, 7);
        await temp.Store.WritePartAsync(Part(bytes, 0, 100, rank: 0), 0, Ct);
        await temp.Store.WritePartAsync(Part(bytes, 150, 150, rank: 1), 1, Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => temp.Store.CommitPartsAsync(Id, 2, fence: null, Ct));

        Assert.Contains("cover 250 of its 300 elements", error.Message);
        Assert.Empty(temp.Store.List("job"));
        Assert.False(Directory.Exists(PartsOf(temp)));
    }

    [Fact]
    public async Task A_missing_part_is_named_and_nothing_is_committed()
    {
        using var temp = new TemporaryStore();
        var bytes = TemporaryStore.RandomBytes(300, 7);
        await temp.Store.WritePartAsync(Part(bytes, 0, 300, rank: 0), 0, Ct);

        var error = await Assert.ThrowsAsync<IOException>(() => temp.Store.CommitPartsAsync(Id, 2, fence: null, Ct));

        Assert.Contains("part 1 of checkpoint", error.Message);
        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task The_merged_commit_is_fenced_like_any_other()
    {
        using var temp = new TemporaryStore();
        var bytes = TemporaryStore.RandomBytes(300, 7);
        await temp.Store.WritePartAsync(Part(bytes, 0, 100, rank: 0), 0, Ct);
        await temp.Store.WritePartAsync(Part(bytes, 100, 200, rank: 1), 1, Ct);

        await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.CommitPartsAsync(Id, 2, (_, _) => ValueTask.FromResult(false), Ct));

        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task A_chunk_collected_between_its_part_and_the_commit_fails_the_commit()
    {
        using var temp = new TemporaryStore();
        var bytes = TemporaryStore.RandomBytes(300, 7);
        await temp.Store.WritePartAsync(Part(bytes, 0, 100, rank: 0), 0, Ct);
        await temp.Store.WritePartAsync(Part(bytes, 100, 200, rank: 1), 1, Ct);
        // No manifest and no lease references the parts' chunks: a collection now removes them.
        await temp.Store.CollectGarbageAsync(1, Ct);

        var error = await Assert.ThrowsAsync<IOException>(() => temp.Store.CommitPartsAsync(Id, 2, fence: null, Ct));

        Assert.Contains("is no longer stored", error.Message);
        Assert.Empty(temp.Store.List("job"));
    }

    private static CheckpointSaveRequest Part(byte[] bytes, int offset, int length, int rank) =>
        new(Id.JobId, Id.Step, Id.Attempt, TemporaryStore.Layout, 80,
            [new TensorSource("w", [bytes.Length], TensorDataType.UInt8, [ShardSource.FromBytes([offset], [length], rank, bytes.AsSpan(offset, length).ToArray())])]);

    private static string PartsOf(TemporaryStore temp) => Path.Combine(temp.Root, "jobs", "job", "parts", $"{Id.Step:D19}-{Id.Attempt:D10}");
}
