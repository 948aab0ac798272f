using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Lifecycle;

/// <summary>
/// Who is to blame when a worker ends early, the same rule for every backend: the infrastructure (node lost,
/// eviction, device fault, a hang) counts against the devices; the job's own code counts against its restart policy
/// only, as its <c>restartPolicy.onExitCodes</c> says; a stop by the control plane or a daemon restart counts against
/// neither. The table is in docs/runtime.md.
/// </summary>
internal static class FailureClassification
{
    /// <summary>The verdict on a worker's exit reported by its backend.</summary>
    public static ExitVerdict Judge(WorkerExit exit, RestartPolicySpec policy)
    {
        ArgumentNullException.ThrowIfNull(exit);
        ArgumentNullException.ThrowIfNull(policy);
        return exit.Cause switch
        {
            ExitCause.Completed => new(AttemptEndReason.WorkerExited, false, "exited cleanly before finishing its steps (a program error: not charged to devices)"),
            ExitCause.ProgramError => ByExitCode(exit.ExitCode, policy, AttemptEndReason.WorkerExited, "a program error"),
            ExitCause.SpecError => ByExitCode(exit.ExitCode, policy, AttemptEndReason.SpecError, "the spec cannot run as written"),
            ExitCause.Infrastructure => new(AttemptEndReason.Infrastructure, true, "an infrastructure failure: charged to the devices of its node"),
            ExitCause.Stopped => new(AttemptEndReason.Interrupted, false, "stopped by the control plane: charged to neither the job nor its devices"),
            _ => throw new ArgumentOutOfRangeException(nameof(exit), exit.Cause, "not an exit cause"),
        };
    }

    /// <summary>
    /// The verdict on a node whose worker went silent. Silence after it was heard is a hang (a device or node that
    /// stopped, the program's process still alive: the relay of a user's program heartbeats for it while it runs, so
    /// for those only the node itself can go silent) and is charged to the node's devices. Never hearing it after the
    /// daemon restarted is the restart's doing, not the node's.
    /// </summary>
    /// <param name="heard">True when the node was heard from since supervision began.</param>
    /// <param name="resumedAfterRestart">True when supervision began on reactivation (a daemon restart or failover), not at launch.</param>
    public static ExitVerdict Silence(bool heard, bool resumedAfterRestart) =>
        !heard && resumedAfterRestart
            ? new(AttemptEndReason.Interrupted, false, "not heard from since the control plane restarted: charged to neither the job nor its devices")
            : new(AttemptEndReason.HeartbeatLost, true, "a hung node or device: charged to the devices of its node");

    /// <summary>
    /// What a local process's exit code means. A stop the control plane asked for wins over any code. The built-in
    /// worker has codes of its own (<see cref="WorkerExitCodes"/>), including a device fault; a user's program is only
    /// ever blamed itself: a non-zero code, or a signal the control plane did not send (the kernel's OOM killer, a
    /// user's kill), points at no device.
    /// </summary>
    /// <param name="exitCode">The process's exit code (.NET reports 128 + N for a process killed by signal N).</param>
    /// <param name="userProgram">True for a user's <c>runtime.command</c>, false for the built-in worker.</param>
    /// <param name="stopRequested">True when the control plane stopped the process (cancel, preempt, shutdown).</param>
    public static ExitCause OfLocalProcess(int exitCode, bool userProgram, bool stopRequested) => (stopRequested, exitCode, userProgram) switch
    {
        (true, _, _) => ExitCause.Stopped,
        (_, WorkerExitCodes.Success, _) => ExitCause.Completed,
        (_, _, true) => ExitCause.ProgramError,
        (_, WorkerExitCodes.SpecError, _) => ExitCause.SpecError,
        (_, WorkerExitCodes.Stopped, _) => ExitCause.Stopped,
        (_, WorkerExitCodes.DeviceFault, _) => ExitCause.Infrastructure,
        _ => ExitCause.ProgramError,
    };

    /// <summary>Words for a local exit code: "exited with code 3", or "killed by signal 9" above 128.</summary>
    public static string DescribeLocalExit(int exitCode) =>
        exitCode is > 128 and < 128 + 65 ? $"killed by signal {exitCode - 128}" : $"exited with code {exitCode}";

    private static ExitVerdict ByExitCode(int exitCode, RestartPolicySpec policy, AttemptEndReason otherwise, string blame)
    {
        var listed = policy.OnExitCodes?.TryGetValue(exitCode, out _) == true;
        return (listed ? policy.ActionFor(exitCode) : (ExitCodeAction?)null) switch
        {
            ExitCodeAction.Fail => new(AttemptEndReason.ExitCodeRule, false, $"{blame}; restartPolicy.onExitCodes: {exitCode} → fail"),
            ExitCodeAction.Ignore => new(AttemptEndReason.Interrupted, false, $"{blame}; restartPolicy.onExitCodes: {exitCode} → ignore"),
            ExitCodeAction.Retry => new(AttemptEndReason.WorkerExited, false, $"{blame}; restartPolicy.onExitCodes: {exitCode} → retry"),
            _ => new(otherwise, false, $"{blame}: not charged to devices"),
        };
    }
}
