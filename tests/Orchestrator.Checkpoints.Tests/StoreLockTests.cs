using Orchestrator.Checkpoints.CrashInjection;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>The store lock: shared against exclusive, between handles of one process and between processes.</summary>
public sealed class StoreLockTests
{
    [Fact]
    public async Task A_process_saving_and_a_process_collecting_share_the_store_without_losing_a_chunk()
    {
        var root = Path.Combine(Path.GetTempPath(), "orchestrator-store-lock-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var report = await StoreLockContention.RunAsync(root, saves: 40, CancellationToken.None);

            Assert.Empty(report.Problems);
            Assert.Equal(40, report.Saves);
            // Not a test that holds by construction: the collector ran and removed chunks while the saves reused theirs.
            Assert.True(report.Collections > 0, "the collecting process never collected");
            Assert.True(report.CollectedChunks > 0, "the collections removed nothing, so they never raced a save");
            Assert.True(report.ReusedChunks > 0, "the saves reused nothing");
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_exclusive_holder_keeps_out_shared_and_exclusive_takers_until_it_releases_even_within_one_process()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orchestrator-store-lock-{Guid.NewGuid():N}.lock");
        try
        {
            var storeLock = new StoreLock(path, TimeSpan.FromMilliseconds(100));
            var exclusive = await storeLock.ExclusiveAsync(CancellationToken.None);

            Assert.Throws<TimeoutException>(() => storeLock.Shared(CancellationToken.None));
            await Assert.ThrowsAsync<TimeoutException>(async () => await storeLock.ExclusiveAsync(CancellationToken.None));

            exclusive.Dispose();
            using var first = storeLock.Shared(CancellationToken.None);
            using var second = await storeLock.SharedAsync(CancellationToken.None);
            var error = await Assert.ThrowsAsync<TimeoutException>(async () => await storeLock.ExclusiveAsync(CancellationToken.None));
            Assert.Contains("exclusive", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
