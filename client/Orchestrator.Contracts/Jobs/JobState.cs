namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// Where a job is in its life. Pending → Planning → Placed → Starting → Running → Succeeded | Failed | Cancelled,
/// and Running → Recovering → Placed when an attempt ends early and the restart policy allows another; Suspended
/// (by <c>orch suspend</c>) holds no devices until <c>orch resume</c> queues it again (Pending).
/// </summary>
[GenerateSerializer]
public enum JobState
{
    /// <summary>Accepted and queued; waiting for a scheduling pass.</summary>
    Pending = 0,

    /// <summary>A scheduling pass is choosing a layout and devices for it.</summary>
    Planning = 1,

    /// <summary>Devices are reserved for the next attempt (all ranks or none).</summary>
    Placed = 2,

    /// <summary>Workers are being launched for the attempt.</summary>
    Starting = 3,

    /// <summary>Workers report steps.</summary>
    Running = 4,

    /// <summary>An attempt ended early; the job waits to be placed again.</summary>
    Recovering = 5,

    /// <summary>Finished every step. Terminal.</summary>
    Succeeded = 6,

    /// <summary>Gave up: the restart policy is exhausted or the job cannot run. Terminal.</summary>
    Failed = 7,

    /// <summary>Cancelled by a user. Terminal.</summary>
    Cancelled = 8,

    /// <summary>Suspended by a user: its attempt stopped (after a checkpoint when it could) and its devices released; resumed, it queues again.</summary>
    Suspended = 9,
}
