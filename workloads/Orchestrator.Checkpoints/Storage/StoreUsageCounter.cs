using System.Globalization;
using System.IO.Enumeration;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Counts <see cref="StoreUsage"/> and remembers what it learnt for the next count in this process: each manifest's
/// logical bytes (keyed by its file's length and write time) and each chunk file's length. A later count lists the
/// manifests and the chunk names again, which is cheap, and reads only manifests it has not seen and asks the file
/// system for the length of only chunk files it has not seen. So a worker can report the store's deduplication
/// ratio after every save at a cost that follows what changed, not the size of the store.
/// </summary>
/// <remarks>
/// Committed manifests and stored chunks are never modified in place. The one exception, a chunk file of the wrong
/// length replaced by a save, keeps the length first seen here until the store is opened again.
/// </remarks>
internal sealed class StoreUsageCounter(StorePaths paths, ManifestRepository manifests)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<CheckpointId, ManifestSeen> _manifests = [];

    // Keyed by the first 128 bits of the hash: a small fraction of the memory of the hex name, and no realistic collision.
    private Dictionary<UInt128, long> _chunkLengths = [];

    public async Task<StoreUsage> CountAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (checkpoints, logical) = await CountManifestsAsync(cancellationToken).ConfigureAwait(false);
            var (chunks, stored) = CountChunks(cancellationToken);
            return new StoreUsage(checkpoints, chunks, stored, logical);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Checkpoints, long LogicalBytes)> CountManifestsAsync(CancellationToken cancellationToken)
    {
        var seen = new Dictionary<CheckpointId, ManifestSeen>();
        foreach (var id in manifests.Jobs().SelectMany(manifests.List))
        {
            var file = new FileInfo(paths.Manifest(id));
            if (!file.Exists) continue; // collected since it was listed
            var version = (file.Length, file.LastWriteTimeUtc);
            if (!_manifests.TryGetValue(id, out var known) || (known.Length, known.WrittenUtc) != version)
            {
                known = new ManifestSeen(version.Length, version.LastWriteTimeUtc, await LogicalBytesAsync(id, cancellationToken).ConfigureAwait(false));
            }

            seen[id] = known;
        }

        _manifests = seen;
        var readable = seen.Values.Where(m => m.LogicalBytes is not null).ToList();
        return (readable.Count, readable.Sum(m => m.LogicalBytes!.Value));
    }

    /// <summary>Null when the manifest does not read back: it is not a checkpoint and describes nothing restorable.</summary>
    private async Task<long?> LogicalBytesAsync(CheckpointId id, CancellationToken cancellationToken)
    {
        try
        {
            return (await manifests.ReadAsync(id, cancellationToken).ConfigureAwait(false)).LogicalBytes;
        }
        catch (CheckpointDamagedException)
        {
            return null;
        }
    }

    private (long Chunks, long StoredBytes) CountChunks(CancellationToken cancellationToken)
    {
        var known = _chunkLengths;
        // Names come from the directory listing alone; only a name not seen before costs a stat for its length.
        var files = new FileSystemEnumerable<(UInt128 Key, long Length)>(paths.Chunks,
            (ref FileSystemEntry entry) =>
            {
                var key = UInt128.Parse(entry.FileName[..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                return (key, known.TryGetValue(key, out var length) ? length : entry.Length);
            },
            new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && ChunkHashing.IsWellFormed(entry.FileName),
        };
        var seen = new Dictionary<UInt128, long>(known.Count);
        long stored = 0;
        foreach (var (key, length) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (seen.TryAdd(key, length)) stored += length;
        }

        _chunkLengths = seen;
        return (seen.Count, stored);
    }

    private sealed record ManifestSeen(long Length, DateTime WrittenUtc, long? LogicalBytes);
}
