using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>A checkpoint a restore passed over because it is damaged.</summary>
/// <param name="Checkpoint">The checkpoint.</param>
/// <param name="Reason">What is wrong with it, e.g. which chunk is corrupt or missing.</param>
public sealed record SkippedCheckpoint(CheckpointId Checkpoint, string Reason);
