using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints;

/// <summary>Garbage collection by roots: the hook through which the model lineage keeps what it references.</summary>
public sealed partial class CheckpointStore
{
    /// <summary>
    /// Removes every checkpoint of <see cref="GarbageCollectionRoots.FinishedJobs"/> that is neither a root nor pinned;
    /// other jobs' checkpoints stay. Then removes every chunk that no remaining manifest and no save in flight references.
    /// </summary>
    public Task<GarbageCollectionReport> CollectGarbageAsync(GarbageCollectionRoots roots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return Collector().CollectAsync(keep: 1, job: null, cancellationToken, roots);
    }
}
