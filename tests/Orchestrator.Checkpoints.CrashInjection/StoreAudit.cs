namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>What a process opening the store after a crash must find: every manifest's chunks, and a newest checkpoint that restores.</summary>
internal static class StoreAudit
{
    /// <summary>The checks' findings; empty when the store is sound.</summary>
    /// <param name="Unrestorable">The newest committed checkpoint does not read back with the bytes it was saved with.</param>
    /// <param name="MissingChunks">Chunks that a committed manifest names but the store does not hold.</param>
    /// <param name="Problems">Each finding in words.</param>
    public sealed record Findings(bool Unrestorable, int MissingChunks, IReadOnlyList<string> Problems);

    public static async Task<Findings> CheckAsync(CheckpointStore store, CrashScript script, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var missing = 0;
        var ids = store.List(CrashScript.Job);
        foreach (var id in ids)
        {
            try
            {
                var manifest = await store.LoadManifestAsync(id, cancellationToken);
                foreach (var shard in manifest.Tensors.SelectMany(t => t.Shards))
                {
                    for (var i = 0; i < shard.Chunks.Count; i++)
                    {
                        var length = (int)Math.Min(manifest.ChunkSize, shard.ByteLength - (long)i * manifest.ChunkSize);
                        if (store.Chunks.IsStored(shard.Chunks[i], length)) continue;
                        missing++;
                        problems.Add($"{id} names chunk {shard.Chunks[i]}, which is not stored");
                    }
                }
            }
            catch (CheckpointDamagedException damaged)
            {
                problems.Add($"committed manifest of {id} does not read back: {damaged.Problem}");
            }
        }

        var unrestorable = false;
        if (ids.Count > 0)
        {
            var newest = ids[^1];
            try
            {
                var manifest = await store.LoadManifestAsync(newest, cancellationToken);
                await store.VerifyAsync(manifest, cancellationToken);
                foreach (var name in new[] { "w", "b" })
                {
                    var restored = await store.ReadTensorAsync(manifest, name, cancellationToken);
                    if (!restored.AsSpan().SequenceEqual(script.Tensor(name, newest.Step))) throw new CheckpointDamagedException(newest.ToString(), $"tensor {name} restores other bytes than were saved");
                }
            }
            catch (CheckpointDamagedException damaged)
            {
                unrestorable = true;
                problems.Add($"the newest committed checkpoint {newest} does not restore: {damaged.Problem}");
            }
        }

        return new Findings(unrestorable, missing, problems);
    }
}
