using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// What the caller gets back when phase 1 is over: how long it was blocked, and a task for the commit that phase 2
/// completes later. A skipped request (previous save still writing) has no completion.
/// </summary>
/// <param name="Checkpoint">The checkpoint requested.</param>
/// <param name="Skipped">True when nothing was saved because the job's previous save was still in flight.</param>
/// <param name="Stall">Time the caller was blocked: the snapshot copy (and, under <see cref="SaveOverlapPolicy.Wait"/>, the wait).</param>
/// <param name="SnapshotBytes">Bytes copied into host memory.</param>
/// <param name="Completion">Completes with the committed checkpoint, or faults (nothing committed); null when skipped.</param>
public sealed record CheckpointSaveTicket(CheckpointId Checkpoint, bool Skipped, TimeSpan Stall, long SnapshotBytes, Task<CheckpointSaveResult>? Completion);
