using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>What a garbage collection removed and kept.</summary>
/// <param name="Kept">Checkpoints of the collected jobs that were kept (newest per job, and pinned ones).</param>
/// <param name="DeletedCheckpoints">Checkpoints whose manifests were removed.</param>
/// <param name="DamagedManifests">Manifest files that could not be read and were removed (they were not checkpoints).</param>
/// <param name="DeletedChunks">Chunks no remaining manifest or live lease referenced.</param>
/// <param name="FreedBytes">Bytes of the deleted chunks.</param>
/// <param name="ExpiredLeases">Leases of saves presumed dead.</param>
public sealed record GarbageCollectionReport(
    IReadOnlyList<CheckpointId> Kept,
    IReadOnlyList<CheckpointId> DeletedCheckpoints,
    IReadOnlyList<string> DamagedManifests,
    int DeletedChunks,
    long FreedBytes,
    int ExpiredLeases);
