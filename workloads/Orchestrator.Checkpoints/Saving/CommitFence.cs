namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Asked just before a manifest is committed whether its attempt may still commit (e.g. the job grain checks the
/// attempt is current). Returning false refuses the commit with <see cref="StaleAttemptException"/> and leaves no manifest.
/// </summary>
public delegate ValueTask<bool> CommitFence(CheckpointCommit commit, CancellationToken cancellationToken);
