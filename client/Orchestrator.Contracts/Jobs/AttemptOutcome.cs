namespace Orchestrator.Contracts.Jobs;

/// <summary>How an attempt ended.</summary>
[GenerateSerializer]
public enum AttemptOutcome
{
    /// <summary>Still running (or launching).</summary>
    Running = 0,

    /// <summary>Every worker finished every step.</summary>
    Succeeded = 1,

    /// <summary>A worker exited with an error, stopped heartbeating, or failed to launch.</summary>
    Failed = 2,

    /// <summary>Stopped because the job was cancelled.</summary>
    Cancelled = 3,

    /// <summary>Stopped to make room for a higher-priority job; the job was requeued.</summary>
    Preempted = 4,
}
