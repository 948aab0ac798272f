using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class FencingTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_commit_the_fence_refuses_throws_stale_attempt_and_leaves_no_manifest()
    {
        using var temp = new TemporaryStore();
        CheckpointCommit? asked = null;
        CommitFence fence = (commit, _) =>
        {
            asked = commit;
            return ValueTask.FromResult(commit.Checkpoint.Attempt >= 3);
        };

        var error = await Assert.ThrowsAsync<StaleAttemptException>(() =>
            temp.Store.SaveAsync(TemporaryStore.Request("job", 50, 2, ("w", TemporaryStore.RandomBytes(100, 1))), fence, Ct));

        Assert.Equal(new CheckpointId("job", 50, 2), error.Checkpoint);
        Assert.Contains("attempt 2 of job 'job' is stale", error.Message);
        Assert.Equal(new CheckpointCommit(new CheckpointId("job", 50, 2), 100, 100), asked);
        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task A_commit_the_fence_accepts_is_committed()
    {
        using var temp = new TemporaryStore();
        CommitFence fence = (commit, _) => ValueTask.FromResult(commit.Checkpoint.Attempt >= 3);

        await temp.Store.SaveAsync(TemporaryStore.Request("job", 50, 3, ("w", [1])), fence, Ct);

        Assert.Equal([new CheckpointId("job", 50, 3)], temp.Store.List("job"));
    }

    [Fact]
    public async Task An_older_attempt_cannot_commit_after_a_newer_attempt_has_committed_even_without_a_fence()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 100, 4, ("w", [1])), null, Ct);

        var error = await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 300, 3, ("w", [2])), null, Ct));

        Assert.Contains("attempt 4 has already committed", error.Message);
        Assert.Equal([new CheckpointId("job", 100, 4)], temp.Store.List("job"));
    }

    [Fact]
    public async Task Attempts_of_other_jobs_do_not_fence_each_other()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("a", 1, 9, ("w", [1])), null, Ct);

        await temp.Store.SaveAsync(TemporaryStore.Request("b", 1, 1, ("w", [1])), null, Ct);

        Assert.Single(temp.Store.List("b"));
    }

    [Fact]
    public async Task A_fence_that_throws_fails_the_save_and_leaves_no_manifest()
    {
        using var temp = new TemporaryStore();
        CommitFence fence = (_, _) => throw new TimeoutException("job grain unreachable");

        await Assert.ThrowsAsync<TimeoutException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", [1])), fence, Ct));

        Assert.Empty(temp.Store.List("job"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Root, "leases")));
    }
}
