namespace Orchestrator.Contracts.Workers;

/// <summary>What the built-in worker's exit code tells its launcher (a user program's codes mean only what its
/// <c>restartPolicy.onExitCodes</c> says).</summary>
public static class WorkerExitCodes
{
    /// <summary>Finished every step.</summary>
    public const int Success = 0;

    /// <summary>Crashed or failed at run time: the attempt may be retried; nothing points at a device.</summary>
    public const int Crash = 1;

    /// <summary>The job cannot run as written (bad data source, model too large): retrying would fail the same way.</summary>
    public const int SpecError = 2;

    /// <summary>Told to stop by the control plane (cancel, preemption, a newer attempt).</summary>
    public const int Stopped = 3;

    /// <summary>A device of the worker failed (a device error from the runtime): the attempt's devices are charged.</summary>
    public const int DeviceFault = 4;
}
