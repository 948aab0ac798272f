namespace Orchestrator.Silo.Lifecycle;

/// <summary>Why an attempt ended before the job succeeded.</summary>
internal enum AttemptEndReason
{
    /// <summary>The job's own code exited with an error or was killed: counts against the job only.</summary>
    WorkerExited,

    /// <summary>Workers stopped heartbeating (a hung node or device): charged to the silent node's devices.</summary>
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

    /// <summary>The infrastructure ended a worker (node lost, eviction, device fault, pod deleted): charged to its devices.</summary>
    Infrastructure,

    /// <summary>The program exited with a code that <c>restartPolicy.onExitCodes</c> says fails the job: not restarted.</summary>
    ExitCodeRule,

    /// <summary>
    /// Ended by something charged to neither the job nor its devices (a stop the control plane made, a daemon
    /// restart, an exit code the policy ignores): restarted without using up an attempt.
    /// </summary>
    Interrupted,
}
