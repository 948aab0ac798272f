using FsCheck.Xunit;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// Garbage collection by roots (the model lineage's hook): random histories of saves, registering checkpoints as
/// roots (model versions, not pinned, so only the hook protects them), jobs finishing, and collections. Whatever the
/// history, no root is ever freed: each reads back its bytes; a finished job keeps exactly its roots; jobs still
/// running lose nothing; no unreferenced chunk remains.
/// </summary>
public sealed class GarbageCollectionRootsPropertyTests
{
    private const int ChunkSize = 16;
    private static readonly string[] JobNames = ["base", "tune-a", "tune-b"];

    [Property(MaxTest = 60)]
    public void A_collection_by_roots_never_frees_a_referenced_version((byte Kind, byte Job, byte Argument)[] history)
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize, durable: false);
        var live = JobNames.ToDictionary(j => j, _ => new List<(CheckpointId Id, byte[] Bytes)>());
        var roots = new HashSet<CheckpointId>();
        var finished = new HashSet<string>();
        var nextStep = JobNames.ToDictionary(j => j, _ => 1L);
        foreach (var (kind, jobIndex, argument) in history)
        {
            var job = JobNames[jobIndex % JobNames.Length];
            var checkpoints = live[job];
            switch (kind % 5)
            {
                case 0 or 1 when !finished.Contains(job):
                    var bytes = Content(argument);
                    var id = new CheckpointId(job, nextStep[job]++, 1);
                    temp.Store.SaveAsync(TemporaryStore.Request(job, id.Step, 1, ("w", bytes)), null, CancellationToken.None).GetAwaiter().GetResult();
                    checkpoints.Add((id, bytes));
                    break;
                case 2 when checkpoints.Count > 0:
                    var root = checkpoints[argument % checkpoints.Count].Id;
                    // Not pinned: only the hook keeps it.
                    roots.Add(root);
                    break;
                case 3:
                    finished.Add(job);
                    break;
                case 4:
                    temp.Store.CollectGarbageAsync(new GarbageCollectionRoots(roots, finished), CancellationToken.None).GetAwaiter().GetResult();
                    foreach (var done in finished) live[done].RemoveAll(c => !roots.Contains(c.Id));
                    AssertStoreMatches(temp, live, roots);
                    break;
            }
        }

        temp.Store.CollectGarbageAsync(new GarbageCollectionRoots(roots, JobNames.ToHashSet()), CancellationToken.None).GetAwaiter().GetResult();
        foreach (var list in live.Values) list.RemoveAll(c => !roots.Contains(c.Id));
        AssertStoreMatches(temp, live, roots);
    }

    [Fact]
    public async Task Unpinned_roots_survive_a_collection_by_roots_and_the_other_checkpoints_of_a_finished_job_are_freed()
    {
        using var temp = new TemporaryStore(chunkSize: ChunkSize, durable: false);
        for (var step = 1; step <= 3; step++)
        {
            await temp.Store.SaveAsync(TemporaryStore.Request("job", step, 1, ("w", TemporaryStore.RandomBytes(64, step))), null, CancellationToken.None);
        }

        var root = new CheckpointId("job", 1, 1);
        var report = await temp.Store.CollectGarbageAsync(new GarbageCollectionRoots(new HashSet<CheckpointId> { root }, new HashSet<string> { "job" }), CancellationToken.None);

        Assert.Equal([root], temp.Store.List("job"));
        Assert.Equal(2, report.DeletedCheckpoints.Count);
        await temp.Store.VerifyAsync(await temp.Store.LoadManifestAsync(root, CancellationToken.None), CancellationToken.None);
        Assert.Equal(64 / ChunkSize, temp.ChunkFileCount());
    }

    /// <summary>Four chunks from a small alphabet, so checkpoints of different jobs share chunks.</summary>
    private static byte[] Content(byte argument)
    {
        var bytes = new byte[4 * ChunkSize];
        for (var chunk = 0; chunk < 4; chunk++)
        {
            bytes.AsSpan(chunk * ChunkSize, ChunkSize).Fill((byte)((argument >> (2 * chunk)) & 0b11));
            bytes[chunk * ChunkSize] = (byte)chunk;
        }

        return bytes;
    }

    private static void AssertStoreMatches(TemporaryStore temp, Dictionary<string, List<(CheckpointId Id, byte[] Bytes)>> live, HashSet<CheckpointId> roots)
    {
        var referenced = new HashSet<string>();
        foreach (var (job, checkpoints) in live)
        {
            Assert.Equal(checkpoints.Select(c => c.Id), temp.Store.List(job));
            foreach (var (id, bytes) in checkpoints)
            {
                var manifest = temp.Store.LoadManifestAsync(id, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal(bytes, temp.Store.ReadTensorAsync(manifest, "w", CancellationToken.None).GetAwaiter().GetResult());
                referenced.UnionWith(manifest.ChunkHashes);
            }
        }

        Assert.All(roots, root => Assert.Contains(root, live[root.JobId].Select(c => c.Id)));
        Assert.Equal(referenced.Count, temp.ChunkFileCount());
    }
}
