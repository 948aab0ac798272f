using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>A tensor offered for saving: its global shape and type, and the shards that cover it exactly once.</summary>
/// <param name="Name">Unique within the checkpoint.</param>
/// <param name="GlobalShape">Shape of the whole tensor.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shards">Disjoint boxes whose union is the whole tensor (save data-parallel replicas once).</param>
public sealed record TensorSource(string Name, IReadOnlyList<long> GlobalShape, TensorDataType DataType, IReadOnlyList<ShardSource> Shards);
