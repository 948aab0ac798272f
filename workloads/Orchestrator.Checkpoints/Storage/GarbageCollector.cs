using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Keeps the newest <c>keep</c> readable checkpoints of each job plus pinned ones, then deletes every chunk that no
/// kept manifest and no live save lease references. Runs under the exclusive store lock, so no chunk is published
/// and no manifest committed while it decides.
/// </summary>
internal sealed class GarbageCollector(StorePaths paths, ChunkRepository chunks, ManifestRepository manifests, StoreLock storeLock, CheckpointStoreOptions options, TimeProvider clock)
{
    public async Task<GarbageCollectionReport> CollectAsync(int keep, CancellationToken cancellationToken)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be at least 1: garbage collection never removes a job's newest checkpoint");
        using var _ = await storeLock.ExclusiveAsync(cancellationToken).ConfigureAwait(false);
        var kept = new List<CheckpointId>();
        var deleted = new List<CheckpointId>();
        var damaged = new List<string>();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in manifests.Jobs())
        {
            var readable = new List<CheckpointManifest>();
            foreach (var id in manifests.List(job).Reverse())
            {
                try
                {
                    readable.Add(await manifests.ReadAsync(id, cancellationToken).ConfigureAwait(false));
                }
                catch (CheckpointDamagedException)
                {
                    // A manifest that does not read back is not a checkpoint; it must not count towards keep.
                    damaged.Add(paths.Manifest(id));
                    manifests.Delete(id);
                }
            }

            for (var i = 0; i < readable.Count; i++)
            {
                var manifest = readable[i];
                if (i < keep || manifests.IsPinned(manifest.Id))
                {
                    kept.Add(manifest.Id);
                    referenced.UnionWith(manifest.ChunkHashes);
                }
                else
                {
                    manifests.Delete(manifest.Id);
                    deleted.Add(manifest.Id);
                }
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        referenced.UnionWith(SaveLease.ReadLive(paths, options.LeaseExpiry, now, out var expiredLeases));
        int deletedChunks = 0;
        long freedBytes = 0;
        foreach (var (hash, length) in chunks.Enumerate().ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!referenced.Contains(hash))
            {
                chunks.Delete(hash);
                deletedChunks++;
                freedBytes += length;
            }
        }

        // Temporary files of writers that died mid-write; live writers' files are younger than the lease expiry.
        foreach (var file in new DirectoryInfo(paths.Temporary).EnumerateFiles())
        {
            if (now - file.LastWriteTimeUtc > options.LeaseExpiry) file.Delete();
        }

        kept.Sort();
        deleted.Sort();
        return new GarbageCollectionReport(kept, deleted, damaged, deletedChunks, freedBytes, expiredLeases);
    }
}
