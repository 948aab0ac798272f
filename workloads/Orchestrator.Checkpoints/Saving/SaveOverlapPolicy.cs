namespace Orchestrator.Checkpoints.Saving;

/// <summary>What <see cref="AsyncCheckpointSaver"/> does with a save requested while the job's previous save is still writing.</summary>
public enum SaveOverlapPolicy
{
    /// <summary>
    /// Return at once without saving (no stall); the caller tries again at a later step. The default: waiting would
    /// turn background write time into training stall, which is what the two-phase save exists to avoid.
    /// </summary>
    Skip,

    /// <summary>Wait for the previous save to finish, then snapshot; the wait counts as stall. For a save that must happen (preemption).</summary>
    Wait,
}
