using System.Diagnostics;
using System.Globalization;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// Built-in workers run detached from the daemon so that they outlive it: in a session of their own (a Ctrl-C on the
/// daemon's terminal does not reach them), with their output appended straight to their log file by the shell (no
/// pipe that dies with the daemon), and a pid file beside the log. A restarted daemon finds them by that pid file and
/// re-attaches; the worker's exit code, which only its parent could read from the kernel, it leaves in its exit file
/// (<see cref="WorkerExitFile"/>).
/// </summary>
internal static class DetachedWorkers
{
    private const string SessionTool = "/usr/bin/setsid";

    /// <summary>Wraps a worker's start so that it runs detached with its output appended to <paramref name="logPath"/>.</summary>
    public static ProcessStartInfo Detach(ProcessStartInfo worker, string logPath)
    {
        // setsid -w: a new session; should setsid have to fork, it waits and passes the worker's exit code on.
        var detached = File.Exists(SessionTool) ? new ProcessStartInfo(SessionTool) : new ProcessStartInfo("sh");
        if (File.Exists(SessionTool))
        {
            detached.ArgumentList.Add("-w");
            detached.ArgumentList.Add("sh");
        }

        detached.ArgumentList.Add("-c");
        detached.ArgumentList.Add("exec \"$@\" </dev/null >>\"$0\" 2>&1");
        detached.ArgumentList.Add(logPath);
        detached.ArgumentList.Add(worker.FileName);
        foreach (var argument in worker.ArgumentList) detached.ArgumentList.Add(argument);
        detached.UseShellExecute = false;
        detached.WorkingDirectory = worker.WorkingDirectory;
        // The worker's own variables (the gateway's TLS settings) pass through the shell to it.
        foreach (var (name, value) in worker.Environment) detached.Environment[name] = value;
        return detached;
    }

    /// <summary>Records which process runs the worker logging to <paramref name="logPath"/>, and on which machine.</summary>
    public static void WritePidFile(string logPath, int processId) =>
        File.WriteAllText(PidPath(logPath), $"{processId.ToString(CultureInfo.InvariantCulture)} {Environment.MachineName}");

    /// <summary>
    /// The worker of <paramref name="logPath"/> if it still runs on this machine; null when it is gone; throws
    /// <see cref="InvalidOperationException"/> when its pid file names another machine (only that one could tell).
    /// </summary>
    public static int? FindAlive(string logPath, string assignmentPath)
    {
        var pidPath = PidPath(logPath);
        if (!File.Exists(pidPath)) return null;
        var parts = File.ReadAllText(pidPath).Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && parts[1] != Environment.MachineName)
            throw new InvalidOperationException($"the worker of {logPath} runs on {parts[1]}, not on {Environment.MachineName}");
        return int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && Runs(pid, assignmentPath) ? pid : null;
    }

    /// <summary>True while process <paramref name="processId"/> is the worker of <paramref name="assignmentPath"/> (not a process that reused its id).</summary>
    public static bool Runs(int processId, string assignmentPath)
    {
        try
        {
            var status = File.ReadAllText($"/proc/{processId}/stat");
            // A zombie has exited; only its parent's wait is missing.
            if (status.LastIndexOf(')') is var end and > 0 && status.Length > end + 2 && status[end + 2] == 'Z') return false;
            return File.ReadAllText($"/proc/{processId}/cmdline").Contains(assignmentPath, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits until a worker this daemon did not start has exited, and returns its exit code (137, killed, when it left none).</summary>
    public static async Task<int> WaitForExitAsync(int processId, string assignmentPath, TimeSpan poll, CancellationToken cancellationToken)
    {
        while (Runs(processId, assignmentPath)) await Task.Delay(poll, cancellationToken);
        return WorkerExitFile.TryRead(assignmentPath) ?? 128 + 9;
    }

    private static string PidPath(string logPath) => Path.ChangeExtension(logPath, ".pid");
}
