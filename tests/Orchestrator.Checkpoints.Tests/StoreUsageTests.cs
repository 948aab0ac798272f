using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Tests;

public sealed class StoreUsageTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Repeated_counts_follow_saves_collections_and_damage_exactly_as_a_fresh_count_does()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var frozen = TemporaryStore.RandomBytes(320, 1);
        var counts = new List<(string After, StoreUsage Repeated, StoreUsage Fresh)>();
        async Task Count(string after) => counts.Add((after, await temp.Store.GetUsageAsync(Ct), await new CheckpointStore(temp.Store.Options).GetUsageAsync(Ct)));

        await Count("nothing saved");
        await temp.Store.SaveAsync(TemporaryStore.Request("base", 1, 1, ("frozen", frozen), ("head", TemporaryStore.RandomBytes(32, 2))), null, Ct);
        await Count("first save");
        await temp.Store.SaveAsync(TemporaryStore.Request("tune", 1, 1, ("frozen", frozen), ("head", TemporaryStore.RandomBytes(32, 3))), null, Ct);
        await temp.Store.SaveAsync(TemporaryStore.Request("base", 2, 1, ("frozen", TemporaryStore.RandomBytes(320, 4))), null, Ct);
        await Count("saves sharing chunks");
        await temp.Store.CollectGarbageAsync("base", keep: 1, Ct);
        await Count("a collection");
        await File.WriteAllTextAsync(temp.ManifestPath(new CheckpointId("tune", 1, 1)), "{", Ct);
        await Count("a damaged manifest");

        Assert.All(counts, c => Assert.True(c.Repeated == c.Fresh, $"after {c.After}: counted {c.Repeated}, a fresh count gives {c.Fresh}"));
        Assert.Equal(new StoreUsage(0, 0, 0, 0), counts[0].Repeated);
        Assert.Equal(new StoreUsage(3, 10 + 1 + 1 + 10, 22 * 32, 352 + 352 + 320), counts[2].Repeated);
        Assert.Equal(new StoreUsage(2, 10 + 1 + 10, 21 * 32, 352 + 320), counts[3].Repeated);
        Assert.Equal(new StoreUsage(1, 21, 21 * 32, 320), counts[4].Repeated);
    }

    [Fact]
    public async Task A_repeated_count_reads_only_manifests_it_has_not_seen()
    {
        using var temp = new TemporaryStore(chunkSize: 32);
        var saved = await temp.Store.SaveAsync(TemporaryStore.Request("job", 1, 1, ("w", TemporaryStore.RandomBytes(64, 1))), null, Ct);
        await temp.Store.GetUsageAsync(Ct);
        // Rewritten in place with the same length and write time, which the store never does: a repeated count
        // trusts what it read before, a fresh one reads the file again.
        var path = temp.ManifestPath(saved.Manifest.Id);
        var written = File.GetLastWriteTimeUtc(path);
        await File.WriteAllTextAsync(path, new string(' ', (int)new FileInfo(path).Length), Ct);
        File.SetLastWriteTimeUtc(path, written);

        var repeated = await temp.Store.GetUsageAsync(Ct);
        var fresh = await new CheckpointStore(temp.Store.Options).GetUsageAsync(Ct);

        Assert.Equal(1, repeated.Checkpoints);
        Assert.Equal(0, fresh.Checkpoints);
    }
}
