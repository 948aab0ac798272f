using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// What a collection driven by a graph of references (the control plane's model lineage) must keep: checkpoints the
/// graph references are roots, kept whatever their age; a finished job will save nothing more, so its other
/// checkpoints are garbage; jobs still running or queued are not pruned (their own <c>keep</c> applies as they save).
/// </summary>
/// <param name="Checkpoints">Checkpoints the graph references.</param>
/// <param name="FinishedJobs">Jobs whose checkpoints other than roots and pinned ones may be removed.</param>
public sealed record GarbageCollectionRoots(IReadOnlySet<CheckpointId> Checkpoints, IReadOnlySet<string> FinishedJobs);
