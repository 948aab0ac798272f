using System.Runtime.InteropServices;

namespace Orchestrator.Silo.Execution.External;

/// <summary>
/// SIGTERM for a child process: .NET's <c>Process.Kill</c> only sends SIGKILL, which leaves a user's program no time
/// to save a checkpoint before it is preempted (Kubernetes sends SIGTERM first for the same reason).
/// </summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="processId"/> to terminate; false when it is gone or not ours to signal.</summary>
    public static bool Terminate(int processId) => OperatingSystem.IsWindows() ? false : Kill(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
