using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>Structural checks of a manifest: identity, layout, shard cover, and chunk lists consistent with lengths.</summary>
internal static class ManifestValidation
{
    public static void Validate(CheckpointManifest manifest)
    {
        manifest.Id.Validate();
        ArgumentNullException.ThrowIfNull(manifest.Layout, nameof(manifest.Layout));
        manifest.Layout.Validate();
        ArgumentNullException.ThrowIfNull(manifest.Tensors, nameof(manifest.Tensors));
        ArgumentNullException.ThrowIfNull(manifest.Metadata, nameof(manifest.Metadata));
        if (manifest.DataPosition < 0) throw new ArgumentException($"dataPosition must be 0 or more, got {manifest.DataPosition}", nameof(manifest.DataPosition));
        if (manifest.ChunkSize is < CheckpointStoreOptions.MinChunkSize or > CheckpointStoreOptions.MaxChunkSize)
        {
            throw new ArgumentException($"chunkSize {manifest.ChunkSize} is outside [{CheckpointStoreOptions.MinChunkSize}, {CheckpointStoreOptions.MaxChunkSize}]", nameof(manifest.ChunkSize));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in manifest.Tensors)
        {
            if (!names.Add(tensor.Name)) throw new ArgumentException($"tensor '{tensor.Name}' appears twice", nameof(manifest.Tensors));
            ShardGeometry.ValidateCover(tensor.Name, tensor.GlobalShape, tensor.DataType.ElementSize(),
                tensor.Shards.Select(s => (s.Offsets, s.Extents, s.ByteLength)).ToList());
            foreach (var shard in tensor.Shards)
            {
                var expectedChunks = (shard.ByteLength + manifest.ChunkSize - 1) / manifest.ChunkSize;
                if (shard.Chunks.Count != expectedChunks)
                {
                    throw new ArgumentException($"tensor '{tensor.Name}': a shard of {shard.ByteLength} bytes needs {expectedChunks} chunks of {manifest.ChunkSize}, lists {shard.Chunks.Count}", nameof(manifest.Tensors));
                }

                foreach (var hash in shard.Chunks)
                {
                    if (!ChunkHashing.IsWellFormed(hash))
                    {
                        throw new ArgumentException($"tensor '{tensor.Name}': chunk name '{hash}' is not a lower-case hex SHA-256", nameof(manifest.Tensors));
                    }
                }
            }
        }
    }
}
