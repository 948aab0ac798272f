namespace Orchestrator.Checkpoints.Tests;

/// <summary>The store-side fence: the attempt marker a new attempt writes when it starts, checked under the lock at every commit.</summary>
public sealed class AttemptMarkerTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_zombie_attempt_cannot_commit_once_a_newer_attempt_has_started_even_before_its_first_commit()
    {
        using var temp = new TemporaryStore();
        Assert.Equal(1, await temp.Store.ClaimAttemptAsync("job", 1, Ct));
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 10, 1, ("w", [1, 2, 3])), null, Ct);

        Assert.Equal(2, await temp.Store.ClaimAttemptAsync("job", 2, Ct));
        var error = await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 20, 1, ("w", [4, 5, 6])), null, Ct));

        Assert.Contains("attempt 2 has started", error.Message, StringComparison.Ordinal);
        Assert.Equal([new Manifest.CheckpointId("job", 10, 1)], temp.Store.List("job"));
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 20, 2, ("w", [4, 5, 6])), null, Ct);
        Assert.Equal(2, temp.Store.List("job").Count);
    }

    [Fact]
    public async Task A_zombie_distributed_save_is_refused_at_its_commit()
    {
        using var temp = new TemporaryStore();
        await temp.Store.WritePartAsync(TemporaryStore.Request("job", 5, 1, ("w", [1, 2])), 0, Ct);
        await temp.Store.ClaimAttemptAsync("job", 2, Ct);

        await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.CommitPartsAsync(new Manifest.CheckpointId("job", 5, 1), 1, null, Ct));

        Assert.Empty(temp.Store.List("job"));
    }

    [Fact]
    public async Task Claiming_an_older_attempt_reports_the_newer_one_and_changes_nothing()
    {
        using var temp = new TemporaryStore();
        await temp.Store.ClaimAttemptAsync("job", 3, Ct);

        Assert.Equal(3, await temp.Store.ClaimAttemptAsync("job", 2, Ct));
        Assert.Equal(3, await temp.Store.ClaimAttemptAsync("job", 3, Ct));
        await Assert.ThrowsAsync<StaleAttemptException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 2, ("w", [1])), null, Ct));
        await temp.Store.SaveAsync(TemporaryStore.Request("other", 1, 1, ("w", [1])), null, Ct);
    }

    [Fact]
    public async Task A_claim_counts_attempts_that_committed_without_claiming()
    {
        using var temp = new TemporaryStore();
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 4, ("w", [1])), null, Ct);

        Assert.Equal(4, await temp.Store.ClaimAttemptAsync("job", 3, Ct));
    }

    [Fact]
    public async Task An_unreadable_marker_refuses_commits_naming_it_until_a_claim_rewrites_it()
    {
        using var temp = new TemporaryStore();
        await temp.Store.ClaimAttemptAsync("job", 1, Ct);
        var marker = Path.Combine(temp.Root, "jobs", "job", "attempt");
        await File.WriteAllTextAsync(marker, "garbage");

        var error = await Assert.ThrowsAsync<IOException>(() => temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", [1])), null, Ct));
        Assert.Contains(marker, error.Message, StringComparison.Ordinal);

        Assert.Equal(2, await temp.Store.ClaimAttemptAsync("job", 2, Ct));
        await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 2, ("w", [1])), null, Ct);
    }

    [Fact]
    public async Task Claims_refuse_bad_arguments_naming_them()
    {
        using var temp = new TemporaryStore();

        var attempt = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.ClaimAttemptAsync("job", 0, Ct));
        Assert.Equal("attempt", attempt.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.ClaimAttemptAsync("../x", 1, Ct));
    }
}
