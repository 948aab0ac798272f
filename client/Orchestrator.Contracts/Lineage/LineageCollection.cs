namespace Orchestrator.Contracts.Lineage;

/// <summary>What a lineage-aware garbage collection kept and freed.</summary>
/// <param name="VersionsKept">Checkpoints kept because a model version of the graph is held in them.</param>
/// <param name="CheckpointsDeleted">Checkpoints removed (of finished jobs, not referenced by the graph).</param>
/// <param name="ChunksDeleted">Chunk files removed.</param>
/// <param name="FreedBytes">Bytes of the removed chunk files.</param>
[GenerateSerializer, Immutable]
public sealed record LineageCollection(
    [property: Id(0)] int VersionsKept,
    [property: Id(1)] int CheckpointsDeleted,
    [property: Id(2)] int ChunksDeleted,
    [property: Id(3)] long FreedBytes);
