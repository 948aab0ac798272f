using Orchestrator.Checkpoints.CrashInjection;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>The saving process killed at random points: what the next process finds.</summary>
public sealed class StoreCrashTests
{
    [Fact]
    public async Task Crashes_at_200_random_points_and_real_sigkills_always_leave_a_restorable_newest_checkpoint_and_no_missing_chunk()
    {
        // Memory-backed where there is one: a kill does not lose what was written but not flushed, so what is checked
        // does not depend on the disk, and the fsyncs (each still announced, so crashes land on them) cost nothing there.
        var scratch = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "orchestrator-store-crash-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var report = await StoreCrashInjection.RunAsync(new StoreCrashOptions(scratch, CrashPoints: 200, Kills: 6, Seed: 13), CancellationToken.None);

            Assert.Empty(report.Problems);
            Assert.Equal(206, report.CrashPoints);
            Assert.Equal(6, report.Kills);
            Assert.Equal(0, report.Unrestorable);
            Assert.Equal(0, report.MissingChunks);
            Assert.Equal(0, report.NotReusable);
            // The points landed in every kind of work: chunk writes and renames, manifest commits, collections, claims.
            foreach (var where in new[] { "save/Write", "save/Rename", "save/SyncDirectory", "collect/Delete", "distributed save/", "claim/", "sigkill:" })
            {
                Assert.Contains(report.ByPhase.Keys, key => key.StartsWith(where, StringComparison.Ordinal));
            }
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task The_audit_reports_a_newest_checkpoint_with_a_missing_chunk_as_unrestorable()
    {
        using var temp = new TemporaryStore(configure: options => CrashScript.Options(options.Root));
        var script = new CrashScript(seed: 5);
        await script.RunAsync(temp.Store, _ => { }, CancellationToken.None);
        var newest = temp.Store.List(CrashScript.Job)[^1];
        var manifest = await temp.Store.LoadManifestAsync(newest, CancellationToken.None);
        File.Delete(temp.ChunkPath(manifest.Tensors[0].Shards[0].Chunks[3]));

        var findings = await StoreAudit.CheckAsync(temp.Store, script, CancellationToken.None);

        Assert.True(findings.Unrestorable);
        Assert.Equal(1, findings.MissingChunks);
    }
}
