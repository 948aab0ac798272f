using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Keeps the newest <c>keep</c> readable checkpoints of each collected job (every job, or one) plus pinned ones,
/// then deletes every chunk that no remaining manifest and no live save lease references. Runs under the exclusive
/// store lock, so no chunk is published and no manifest committed while it decides. Manifest removals are flushed
/// before any chunk is removed, so a crash of the machine never brings back a manifest whose chunks are gone.
/// </summary>
internal sealed class GarbageCollector(StorePaths paths, StoreFiles files, ChunkRepository chunks, ManifestRepository manifests, StoreLock storeLock, CheckpointStoreOptions options, TimeProvider clock)
{
    /// <param name="keep">Newest readable checkpoints kept per collected job.</param>
    /// <param name="job">The one job to prune, or null for every job. Other jobs' manifests are only read: what they reference stays.</param>
    /// <param name="cancellationToken">Stops the sweep between chunks.</param>
    /// <param name="roots">When given, replaces <paramref name="keep"/> and <paramref name="job"/>: only its finished jobs are pruned, down to its root checkpoints (and pinned ones).</param>
    public async Task<GarbageCollectionReport> CollectAsync(int keep, string? job, CancellationToken cancellationToken, GarbageCollectionRoots? roots = null)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be at least 1: garbage collection never removes a job's newest checkpoint");
        using var _ = await storeLock.ExclusiveAsync(cancellationToken).ConfigureAwait(false);
        var kept = new List<CheckpointId>();
        var deleted = new List<CheckpointId>();
        var damaged = new List<string>();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var each in manifests.Jobs())
        {
            var removedBefore = deleted.Count + damaged.Count;
            var collected = roots?.FinishedJobs.Contains(each) ?? (job is null || job == each);
            var readable = new List<CheckpointManifest>();
            foreach (var id in manifests.List(each).Reverse())
            {
                try
                {
                    readable.Add(await manifests.ReadAsync(id, cancellationToken).ConfigureAwait(false));
                }
                catch (CheckpointDamagedException) when (collected)
                {
                    // A manifest that does not read back is not a checkpoint; it must not count towards keep.
                    damaged.Add(paths.Manifest(id));
                    manifests.Delete(id);
                }
                catch (CheckpointDamagedException)
                {
                    // Another job's damaged manifest references nothing restorable; its own collection removes it.
                }
            }

            for (var i = 0; i < readable.Count; i++)
            {
                var manifest = readable[i];
                if (!collected)
                {
                    referenced.UnionWith(manifest.ChunkHashes);
                }
                else if ((roots is null && i < keep) || manifests.IsPinned(manifest.Id) || roots?.Checkpoints.Contains(manifest.Id) == true)
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

            if (deleted.Count + damaged.Count > removedBefore) manifests.SyncJob(each);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        referenced.UnionWith(SaveLease.ReadLive(paths, files, options.LeaseExpiry, now, out var expiredLeases));
        var deletedHashes = new List<string>();
        long freedBytes = 0;
        try
        {
            foreach (var (hash, length) in chunks.Enumerate().ToList())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!referenced.Contains(hash))
                {
                    chunks.Delete(hash);
                    deletedHashes.Add(hash);
                    freedBytes += length;
                }
            }
        }
        finally
        {
            // Also when the sweep stops early: what it removed is flushed, never half-remembered by the directory.
            chunks.SyncDirectories(deletedHashes);
        }

        // Temporary files of writers that died mid-write; live writers' files are younger than the lease expiry.
        foreach (var file in new DirectoryInfo(paths.Temporary).EnumerateFiles())
        {
            if (now - file.LastWriteTimeUtc > options.LeaseExpiry) files.Delete(file.FullName);
        }

        kept.Sort();
        deleted.Sort();
        return new GarbageCollectionReport(kept, deleted, damaged, deletedHashes.Count, freedBytes, expiredLeases);
    }
}
