using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class AsyncCheckpointSaverTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task The_checkpoint_holds_the_bytes_at_the_snapshot_even_if_the_caller_changes_them_while_it_is_written()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var gate = new Gate();
        await using var saver = new AsyncCheckpointSaver(temp.Store, fence: gate.Fence);
        var weights = TemporaryStore.RandomBytes(200, 1);
        var original = weights.ToArray();

        var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", 10, 1, ("w", weights)), Ct);
        Array.Fill(weights, (byte)0xFF); // training continues and updates its parameters in place
        gate.Open();
        var result = await ticket.Completion!;

        Assert.False(ticket.Skipped);
        Assert.Equal(200, ticket.SnapshotBytes);
        Assert.True(ticket.Stall > TimeSpan.Zero);
        Assert.Equal(original, await temp.Store.ReadTensorAsync(result.Manifest, "w", Ct));
    }

    [Fact]
    public async Task The_commit_happens_after_the_call_returns_not_during_it()
    {
        using var temp = new TemporaryStore();
        var gate = new Gate();
        await using var saver = new AsyncCheckpointSaver(temp.Store, fence: gate.Fence);

        var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", 10, 1, ("w", [1, 2, 3])), Ct);
        await gate.Reached;

        Assert.True(saver.IsSaving("job"));
        Assert.Empty(temp.Store.List("job"));
        gate.Open();
        await ticket.Completion!;
        Assert.False(saver.IsSaving("job"));
        Assert.Equal([new CheckpointId("job", 10, 1)], temp.Store.List("job"));
    }

    [Fact]
    public async Task Under_skip_a_request_while_the_previous_save_is_writing_is_skipped_without_saving()
    {
        using var temp = new TemporaryStore();
        var gate = new Gate();
        await using var saver = new AsyncCheckpointSaver(temp.Store, SaveOverlapPolicy.Skip, gate.Fence);
        var first = await saver.BeginSaveAsync(TemporaryStore.Request("job", 10, 1, ("w", [1])), Ct);
        await gate.Reached;

        var second = await saver.BeginSaveAsync(TemporaryStore.Request("job", 20, 1, ("w", [2])), Ct);
        var otherJob = await saver.BeginSaveAsync(TemporaryStore.Request("other", 20, 1, ("w", [3])), Ct);
        gate.Open();
        await first.Completion!;
        await otherJob.Completion!;

        Assert.True(second.Skipped);
        Assert.Null(second.Completion);
        Assert.False(otherJob.Skipped);
        Assert.Equal([new CheckpointId("job", 10, 1)], temp.Store.List("job"));
    }

    [Fact]
    public async Task Under_wait_a_request_while_the_previous_save_is_writing_waits_for_it_then_saves()
    {
        using var temp = new TemporaryStore();
        var gate = new Gate();
        await using var saver = new AsyncCheckpointSaver(temp.Store, SaveOverlapPolicy.Wait, gate.Fence);
        var first = await saver.BeginSaveAsync(TemporaryStore.Request("job", 10, 1, ("w", [1])), Ct);
        await gate.Reached;

        var second = saver.BeginSaveAsync(TemporaryStore.Request("job", 20, 1, ("w", [2])), Ct).AsTask();
        await Task.Delay(50, Ct);
        var secondStartedEarly = second.IsCompleted;
        gate.Open();
        var ticket = await second;
        await ticket.Completion!;

        Assert.False(secondStartedEarly);
        Assert.False(ticket.Skipped);
        Assert.True(first.Completion!.IsCompletedSuccessfully);
        Assert.Equal([new CheckpointId("job", 10, 1), new CheckpointId("job", 20, 1)], temp.Store.List("job"));
    }

    [Fact]
    public async Task A_failure_in_phase_two_faults_the_completion_and_leaves_no_manifest()
    {
        using var temp = new TemporaryStore();
        CommitFence refuse = (_, _) => ValueTask.FromResult(false);
        await using var saver = new AsyncCheckpointSaver(temp.Store, fence: refuse);

        var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", 10, 1, ("w", [1, 2])), Ct);

        await Assert.ThrowsAsync<StaleAttemptException>(() => ticket.Completion!);
        Assert.Empty(temp.Store.List("job"));
        Assert.False(saver.IsSaving("job"));
    }

    [Fact]
    public async Task A_failure_while_copying_is_thrown_to_the_caller_and_nothing_is_written()
    {
        using var temp = new TemporaryStore();
        await using var saver = new AsyncCheckpointSaver(temp.Store);
        var broken = new ShardSource([0], [4], 0, 4, (_, _) => throw new InvalidOperationException("device lost"));
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0, [new TensorSource("w", [4], TensorDataType.UInt8, [broken])]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => saver.BeginSaveAsync(request, Ct).AsTask());

        Assert.Equal("device lost", error.Message);
        Assert.False(saver.IsSaving("job"));
        Assert.Equal(0, temp.ChunkFileCount());
    }

    [Fact]
    public async Task A_malformed_request_is_refused_at_the_call()
    {
        using var temp = new TemporaryStore();
        await using var saver = new AsyncCheckpointSaver(temp.Store);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => saver.BeginSaveAsync(TemporaryStore.Request("job", -1, 1, ("w", [1])), Ct).AsTask());

        Assert.Contains("step must be 0 or more", error.Message);
    }

    [Fact]
    public async Task Successive_saves_reuse_snapshot_buffers_and_each_reads_back_its_own_bytes()
    {
        using var temp = new TemporaryStore(chunkSize: 16);
        await using var saver = new AsyncCheckpointSaver(temp.Store);
        var saved = new List<(CheckpointSaveResult Result, byte[] Bytes)>();
        for (var step = 1; step <= 5; step++)
        {
            var bytes = TemporaryStore.RandomBytes(100, step);
            var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", step, 1, ("w", bytes)), Ct);
            saved.Add((await ticket.Completion!, bytes));
        }

        foreach (var (result, bytes) in saved)
        {
            Assert.Equal(bytes, await temp.Store.ReadTensorAsync(result.Manifest, "w", Ct));
        }
    }

    [Fact]
    public async Task Reserving_maps_whole_chunk_buffers_up_to_the_pool_limit_and_saves_still_read_back()
    {
        using var temp = new TemporaryStore(chunkSize: 16);
        await using var saver = new AsyncCheckpointSaver(temp.Store, maxPooledBytes: 100);

        var reserved = saver.Reserve(1_000);
        var bytes = TemporaryStore.RandomBytes(90, 4);
        var ticket = await saver.BeginSaveAsync(TemporaryStore.Request("job", 1, 1, ("w", bytes)), Ct);

        Assert.Equal(96, reserved); // six 16-byte buffers fit under the 100-byte limit
        Assert.Equal(bytes, await temp.Store.ReadTensorAsync((await ticket.Completion!).Manifest, "w", Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => saver.Reserve(-1));
    }

    /// <summary>A commit fence that holds phase 2 just before the commit until opened.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Open() => _open.TrySetResult();

        public async ValueTask<bool> Fence(CheckpointCommit commit, CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
            return true;
        }
    }
}
