namespace Orchestrator.Contracts.Jobs;

/// <summary>How an attempt ended.</summary>
[GenerateSerializer]
public enum AttemptOutcome
{
    /// <summary>Still running (or launching).</summary>
    Running = 0,

    /// <summary>Every worker finished every step.</summary>
    Succeeded = 1,

    /// <summary>A worker exited with an error, stopped heartbeating, or failed to launch: counts against <c>maxAttempts</c>.</summary>
    Failed = 2,

    /// <summary>Stopped because the job was cancelled.</summary>
    Cancelled = 3,

    /// <summary>Stopped to make room for a higher-priority job; the job was requeued.</summary>
    Preempted = 4,

    /// <summary>
    /// Ended by something charged to neither the job nor its devices (a stop the control plane made outside a cancel
    /// or preemption, a daemon restart, an exit code <c>onExitCodes</c> says to ignore): retried without using up an
    /// attempt.
    /// </summary>
    Interrupted = 5,
}
