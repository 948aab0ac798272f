using Orchestrator.Contracts.Workers;
using Orchestrator.Kernels.Communication;

namespace Orchestrator.Worker;

/// <summary>How a training run's failure becomes the worker's exit code and log line (see <see cref="WorkerExitCodes"/>).</summary>
internal static class WorkerFailures
{
    /// <summary>
    /// The exit code and log line for <paramref name="error"/>, or null for a failure the worker does not expect (it
    /// propagates). A lost peer is checked first, whatever wraps it: when another process of the attempt dies the
    /// control plane may stop this one at the same moment, and the exit must not depend on which arrived first.
    /// </summary>
    /// <param name="error">What the training loop threw.</param>
    /// <param name="stopRequested">Whether the worker had been told to stop (or shut down) by then.</param>
    public static (int ExitCode, string Message)? Classify(Exception error, bool stopRequested)
    {
        if (CollectiveFailedException.FindIn(error) is { } lost)
        {
            // Another process of the attempt died or hung: a crash (retried from the last checkpoint), not the spec's fault.
            return (WorkerExitCodes.Crash, $"worker: lost the other processes of this attempt: {lost.Message}");
        }

        if (error is OperationCanceledException && stopRequested) return (WorkerExitCodes.Stopped, "worker: stopped");
        if (error is ArgumentException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException)
        {
            return (WorkerExitCodes.SpecError, $"worker: the job cannot run as written: {error.Message}");
        }

        return DeviceFaults.Indicate(error) ? (WorkerExitCodes.DeviceFault, $"worker: device fault: {error.Message}") : null;
    }
}
