using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// Who references which chunk, from manifests alone (no chunk is read): the bytes a set of versions occupies in the
/// store (each distinct chunk once) and the bytes only one version references (what removing it alone would free).
/// </summary>
internal sealed class ChunkSharing
{
    private readonly Dictionary<string, (long Length, int Owners)> _chunks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _chunksOf = new(StringComparer.Ordinal);

    /// <param name="manifests">Each version's manifest, keyed by version.</param>
    public ChunkSharing(IReadOnlyDictionary<string, CheckpointManifest> manifests)
    {
        foreach (var (version, manifest) in manifests)
        {
            var own = new HashSet<string>(StringComparer.Ordinal);
            foreach (var shard in manifest.Tensors.SelectMany(t => t.Shards))
            {
                for (var i = 0; i < shard.Chunks.Count; i++)
                {
                    if (!own.Add(shard.Chunks[i])) continue;
                    // Every chunk but a shard's last is full.
                    var length = Math.Min(manifest.ChunkSize, shard.ByteLength - (long)i * manifest.ChunkSize);
                    _chunks[shard.Chunks[i]] = _chunks.TryGetValue(shard.Chunks[i], out var known) ? (known.Length, known.Owners + 1) : (length, 1);
                }
            }

            _chunksOf[version] = own;
        }
    }

    /// <summary>Bytes of the chunks <paramref name="version"/> references and no other version does.</summary>
    public long UniqueBytes(string version) =>
        _chunksOf.TryGetValue(version, out var own) ? own.Where(h => _chunks[h].Owners == 1).Sum(h => _chunks[h].Length) : 0;

    /// <summary>Bytes of the distinct chunks the versions reference together.</summary>
    public long StoredBytes(IEnumerable<string> versions) =>
        versions.Where(_chunksOf.ContainsKey).SelectMany(v => _chunksOf[v]).Distinct(StringComparer.Ordinal).Sum(h => _chunks[h].Length);
}
