using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Merges the parts of a distributed save into the manifest to commit: identity, layout, data position and metadata
/// from part 0 (every process saves the same step of the same run), each tensor's shards from all parts. The result
/// must pass the same checks as any manifest, so parts that overlap or leave a gap are refused, not committed.
/// </summary>
internal static class CheckpointPartMerge
{
    /// <exception cref="InvalidDataException">The parts disagree or do not cover every tensor exactly once; the message says how.</exception>
    public static CheckpointManifest Merge(CheckpointId id, IReadOnlyList<CheckpointPartFile> parts)
    {
        if (parts.Count == 0) throw new InvalidDataException($"checkpoint {id}: a distributed save needs at least one part");
        var first = parts[0].Shards;
        var tensors = new SortedDictionary<string, (CheckpointTensor Tensor, List<TensorShard> Shards)>(StringComparer.Ordinal);
        for (var k = 0; k < parts.Count; k++)
        {
            var part = parts[k].Shards;
            if (part.ChunkSize != first.ChunkSize || part.Layout != first.Layout || part.DataPosition != first.DataPosition)
            {
                throw new InvalidDataException($"checkpoint {id}: part {k} was saved with chunk size {part.ChunkSize}, layout {part.Layout} and data position {part.DataPosition}, part 0 with {first.ChunkSize}, {first.Layout} and {first.DataPosition}");
            }

            foreach (var tensor in part.Tensors)
            {
                if (!tensors.TryGetValue(tensor.Name, out var merged))
                {
                    merged = (tensor, []);
                    tensors[tensor.Name] = merged;
                }
                else if (merged.Tensor.DataType != tensor.DataType || !merged.Tensor.GlobalShape.SequenceEqual(tensor.GlobalShape))
                {
                    throw new InvalidDataException($"checkpoint {id}: part {k} saves tensor '{tensor.Name}' as {tensor.DataType} [{string.Join(", ", tensor.GlobalShape)}], an earlier part as {merged.Tensor.DataType} [{string.Join(", ", merged.Tensor.GlobalShape)}]");
                }

                merged.Shards.AddRange(tensor.Shards);
            }
        }

        var manifest = first with { Tensors = tensors.Values.Select(t => t.Tensor with { Shards = t.Shards.ToArray() }).ToArray() };
        try
        {
            ManifestValidation.Validate(manifest);
        }
        catch (ArgumentException invalid)
        {
            throw new InvalidDataException($"checkpoint {id}: its {parts.Count} parts do not merge into a whole checkpoint: {invalid.Message}", invalid);
        }

        return manifest;
    }
}
