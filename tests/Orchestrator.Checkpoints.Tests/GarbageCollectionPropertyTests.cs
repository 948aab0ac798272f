using FsCheck.Xunit;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>
/// Random histories of save / pin / unpin / collect (all jobs, or one job with its own keep) against a model of what
/// must survive: after every collection the store holds exactly the newest <c>keep</c> checkpoints of each collected
/// job plus the pinned ones and every checkpoint of jobs not collected, each of them still reads back its bytes (no
/// chunk a remaining manifest references was deleted), and no unreferenced chunk is left behind.
/// </summary>
public sealed class GarbageCollectionPropertyTests
{
    private const int ChunkSize = 16;
    private static readonly string[] JobNames = ["base", "tune"];

    [Property(MaxTest = 60)]
    public void Collection_never_deletes_a_chunk_a_remaining_manifest_references((byte Kind, byte Job, byte Argument)[] history)
    {
        // Not durable: fsync changes nothing this property checks, and the histories do hundreds of saves.
        using var temp = new TemporaryStore(chunkSize: ChunkSize, durable: false);
        var committed = JobNames.ToDictionary(j => j, _ => new List<(CheckpointId Id, byte[] Bytes)>());
        var pinned = new HashSet<CheckpointId>();
        var nextStep = JobNames.ToDictionary(j => j, _ => 1L);
        foreach (var (kind, jobIndex, argument) in history)
        {
            var job = JobNames[jobIndex % JobNames.Length];
            var checkpoints = committed[job];
            switch (kind % 6)
            {
                case 0 or 1:
                    var bytes = Content(argument);
                    var id = new CheckpointId(job, nextStep[job]++, 1);
                    temp.Store.SaveAsync(TemporaryStore.Request(job, id.Step, 1, ("w", bytes)), null, CancellationToken.None).GetAwaiter().GetResult();
                    checkpoints.Add((id, bytes));
                    break;
                case 2 when checkpoints.Count > 0:
                    var toPin = checkpoints[argument % checkpoints.Count].Id;
                    temp.Store.Pin(toPin);
                    pinned.Add(toPin);
                    break;
                case 3 when checkpoints.Count > 0:
                    var toUnpin = checkpoints[argument % checkpoints.Count].Id;
                    temp.Store.Unpin(toUnpin);
                    pinned.Remove(toUnpin);
                    break;
                case 4:
                    var keep = 1 + argument % 3;
                    temp.Store.CollectGarbageAsync(keep, CancellationToken.None).GetAwaiter().GetResult();
                    foreach (var list in committed.Values) KeepNewestAndPinned(list, keep, pinned);
                    AssertStoreMatches(temp, committed, expectNoGarbage: true);
                    break;
                case 5:
                    var jobKeep = 1 + argument % 3;
                    temp.Store.CollectGarbageAsync(job, jobKeep, CancellationToken.None).GetAwaiter().GetResult();
                    KeepNewestAndPinned(checkpoints, jobKeep, pinned);
                    AssertStoreMatches(temp, committed, expectNoGarbage: true);
                    break;
            }
        }

        AssertStoreMatches(temp, committed, expectNoGarbage: false);
    }

    private static void KeepNewestAndPinned(List<(CheckpointId Id, byte[] Bytes)> checkpoints, int keep, HashSet<CheckpointId> pinned)
    {
        var survivors = checkpoints.Where((c, i) => i >= checkpoints.Count - keep || pinned.Contains(c.Id)).ToList();
        checkpoints.Clear();
        checkpoints.AddRange(survivors);
    }

    /// <summary>Four chunks drawn from a small alphabet, so checkpoints of both jobs share many chunks.</summary>
    private static byte[] Content(byte argument)
    {
        var bytes = new byte[4 * ChunkSize];
        for (var chunk = 0; chunk < 4; chunk++)
        {
            var letter = (byte)((argument >> (2 * chunk)) & 0b11);
            bytes.AsSpan(chunk * ChunkSize, ChunkSize).Fill(letter);
            bytes[chunk * ChunkSize] = (byte)chunk;
        }

        return bytes;
    }

    private static void AssertStoreMatches(TemporaryStore temp, Dictionary<string, List<(CheckpointId Id, byte[] Bytes)>> committed, bool expectNoGarbage)
    {
        var referenced = new HashSet<string>();
        foreach (var (job, checkpoints) in committed)
        {
            Assert.Equal(checkpoints.Select(c => c.Id), temp.Store.List(job));
            foreach (var (id, bytes) in checkpoints)
            {
                var manifest = temp.Store.LoadManifestAsync(id, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal(bytes, temp.Store.ReadTensorAsync(manifest, "w", CancellationToken.None).GetAwaiter().GetResult());
                referenced.UnionWith(manifest.ChunkHashes);
            }
        }

        if (expectNoGarbage)
        {
            Assert.Equal(referenced.Count, temp.ChunkFileCount());
        }
    }
}
