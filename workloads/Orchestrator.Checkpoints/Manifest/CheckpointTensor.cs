using System.Text.Json.Serialization;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>A tensor in a checkpoint: its global shape and type, and the shards that together cover it exactly once.</summary>
/// <param name="Name">Unique within the checkpoint, e.g. "layers.3.attention.qkv.weight" or "optimizer.exp_avg.layers.3...".</param>
/// <param name="GlobalShape">Shape of the whole (unsharded) tensor; an empty list is a scalar.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shards">Disjoint boxes whose union is the whole tensor.</param>
public sealed record CheckpointTensor(
    string Name,
    IReadOnlyList<long> GlobalShape,
    TensorDataType DataType,
    IReadOnlyList<TensorShard> Shards)
{
    /// <summary>Bytes of the whole tensor.</summary>
    [JsonIgnore]
    public long ByteLength => GlobalShape.Aggregate(1L, (product, extent) => checked(product * extent)) * DataType.ElementSize();
}
