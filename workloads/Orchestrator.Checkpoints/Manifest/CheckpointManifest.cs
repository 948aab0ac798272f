using System.Text.Json.Serialization;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// Everything needed to restore a checkpoint: what it is (job, step, attempt), how the job was laid out, where the
/// data loader stood, and every tensor with its shards and chunk hashes. Committed last and atomically: a checkpoint
/// whose manifest is not committed does not exist.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Attempt">The attempt that saved it.</param>
/// <param name="Layout">The parallel layout it was saved under.</param>
/// <param name="DataPosition">The data loader's position to resume from (samples consumed).</param>
/// <param name="CreatedUtc">When the save was requested (phase 1).</param>
/// <param name="ChunkSize">Bytes per chunk used when it was saved.</param>
/// <param name="Tensors">Model parameters and optimizer state, each split into shards.</param>
/// <param name="Metadata">Small non-tensor state (seeds, learning-rate schedule position, tokenizer name).</param>
public sealed record CheckpointManifest(
    string JobId,
    long Step,
    int Attempt,
    CheckpointLayout Layout,
    long DataPosition,
    DateTimeOffset CreatedUtc,
    int ChunkSize,
    IReadOnlyList<CheckpointTensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The checkpoint's identity.</summary>
    [JsonIgnore]
    public CheckpointId Id => new(JobId, Step, Attempt);

    /// <summary>Bytes of all tensors before deduplication.</summary>
    [JsonIgnore]
    public long LogicalBytes => Tensors.Sum(t => t.Shards.Sum(s => s.ByteLength));

    /// <summary>Every chunk hash the checkpoint references (each once).</summary>
    [JsonIgnore]
    public IEnumerable<string> ChunkHashes => Tensors.SelectMany(t => t.Shards).SelectMany(s => s.Chunks).Distinct(StringComparer.Ordinal);

    /// <summary>Finds a tensor by name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists a few that exist.</exception>
    public CheckpointTensor Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"checkpoint {Id} has no tensor '{name}'; it has {Tensors.Count} tensors, e.g. {string.Join(", ", Tensors.Take(5).Select(t => t.Name))}");
}
