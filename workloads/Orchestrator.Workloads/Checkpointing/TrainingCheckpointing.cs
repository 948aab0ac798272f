using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>How a training run checkpoints and resumes.</summary>
/// <param name="Store">Where checkpoints go.</param>
/// <param name="JobId">The job; checkpoints of every attempt are kept under it.</param>
/// <param name="Attempt">This attempt's number (from 1); a newer attempt's commit fences older ones.</param>
/// <param name="Interval">When to checkpoint between the restore and the final step.</param>
public sealed record TrainingCheckpointing(CheckpointStore Store, string JobId, int Attempt, CheckpointInterval Interval)
{
    /// <summary>Checkpoints of this job kept by the garbage collection after each commit (at least 1); other jobs in the store are not pruned.</summary>
    public int Keep { get; init; } = 3;

    /// <summary>Asked before each commit whether this attempt is still current; null for none.</summary>
    public CommitFence? Fence { get; init; }

    /// <summary>Resume from the job's newest usable checkpoint when there is one (default); false starts from the initial weights.</summary>
    public bool Restore { get; init; } = true;

    /// <summary>
    /// When the job has no checkpoint of its own: another job's checkpoint to take the model weights from (a model
    /// version to fine-tune), restored into this layout whatever layout saved it. The optimizer starts fresh and
    /// training starts at step 0. Null for none.
    /// </summary>
    public CheckpointId? StartFrom { get; init; }

    /// <summary>Receives restore, commit and failure events; null for none.</summary>
    public ICheckpointObserver? Observer { get; init; }

    /// <summary>Lets the caller ask for a checkpoint and a stop from another thread.</summary>
    public CheckpointControl Control { get; init; } = new();

    /// <summary>Refuses settings that cannot work, naming the field.</summary>
    /// <exception cref="ArgumentException">A field is missing or out of range.</exception>
    public void Validate()
    {
        if (Store is null) throw new ArgumentException($"{nameof(Store)} must be a checkpoint store", nameof(Store));
        if (Interval is null) throw new ArgumentException($"{nameof(Interval)} must say when to checkpoint (steps, time or auto)", nameof(Interval));
        if (Control is null) throw new ArgumentException($"{nameof(Control)} must not be null", nameof(Control));
        CheckpointId.ValidateJobId(JobId);
        if (Attempt < 1) throw new ArgumentException($"{nameof(Attempt)} must be 1 or more, got {Attempt}", nameof(Attempt));
        if (Keep < 1) throw new ArgumentException($"{nameof(Keep)} must be at least 1 (the newest checkpoint is always kept), got {Keep}", nameof(Keep));
    }
}
