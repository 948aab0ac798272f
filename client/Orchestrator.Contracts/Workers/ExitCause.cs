namespace Orchestrator.Contracts.Workers;

/// <summary>
/// Who is to blame for a worker's end, as its backend saw it. The job grain decides from this (and the job's
/// <c>restartPolicy.onExitCodes</c>) whether devices are charged and whether the restart budget is used.
/// </summary>
[GenerateSerializer]
public enum ExitCause
{
    /// <summary>Finished every step (exit code 0).</summary>
    Completed = 0,

    /// <summary>The job's own code exited non-zero: counts against the job's restart policy only, never against devices.</summary>
    ProgramError = 1,

    /// <summary>
    /// The job cannot run as written (the built-in worker's exit code 2, an image that cannot be pulled): not retried
    /// unless <c>onExitCodes</c> says otherwise, and never charged to devices.
    /// </summary>
    SpecError = 2,

    /// <summary>
    /// The infrastructure ended it (node lost, NotReady or deleted, eviction, device fault, pod deleted by someone
    /// else): counts against the devices it ran on, and against the restart policy.
    /// </summary>
    Infrastructure = 3,

    /// <summary>The control plane stopped it (cancel, preempt, daemon shutdown): counts against neither.</summary>
    Stopped = 4,
}
