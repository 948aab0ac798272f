namespace Orchestrator.Silo.Lifecycle;

/// <summary>Why an attempt ended before the job succeeded.</summary>
internal enum AttemptEndReason
{
    /// <summary>A worker process exited with an error or was killed.</summary>
    WorkerExited,

    /// <summary>Workers stopped heartbeating.</summary>
    HeartbeatLost,

    /// <summary>A device of the attempt was marked failed.</summary>
    DeviceFailed,

    /// <summary>The workers could not be launched.</summary>
    LaunchFailed,

    /// <summary>A higher-priority job took the devices. Not a fault: never counts against the attempt limit.</summary>
    Preempted,

    /// <summary>The job ran past its user-given time limit; another try would too.</summary>
    TimeLimitExceeded,

    /// <summary>A user cancelled the job.</summary>
    Cancelled,

    /// <summary>The spec cannot run as written (bad model, data or layout); another try would fail the same way.</summary>
    SpecError,
}
