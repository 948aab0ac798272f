using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints;

/// <summary>A commit was refused because its attempt is no longer the job's current one.</summary>
public sealed class StaleAttemptException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="checkpoint"/> with the reason it was refused.</summary>
    public StaleAttemptException(CheckpointId checkpoint, string reason)
        : base($"checkpoint {checkpoint} was not committed: attempt {checkpoint.Attempt} of job '{checkpoint.JobId}' is stale ({reason})")
    {
        Checkpoint = checkpoint;
    }

    /// <summary>The refused checkpoint.</summary>
    public CheckpointId Checkpoint { get; }
}
