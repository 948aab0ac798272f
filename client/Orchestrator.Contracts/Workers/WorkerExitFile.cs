using System.Globalization;

namespace Orchestrator.Contracts.Workers;

/// <summary>
/// The exit code a worker leaves beside its assignment file. A daemon that restarted while the worker ran is not the
/// worker's parent and cannot learn its exit code from the kernel; it reads this file instead. No file means the
/// worker was killed (or crashed) before it could write one.
/// </summary>
public static class WorkerExitFile
{
    /// <summary>The exit file of the worker started with <paramref name="assignmentPath"/>.</summary>
    public static string PathFor(string assignmentPath) => Path.ChangeExtension(assignmentPath, ".exit");

    /// <summary>Records <paramref name="exitCode"/> for the worker started with <paramref name="assignmentPath"/>.</summary>
    public static void Write(string assignmentPath, int exitCode) =>
        File.WriteAllText(PathFor(assignmentPath), exitCode.ToString(CultureInfo.InvariantCulture));

    /// <summary>The recorded exit code, or null when the worker left none.</summary>
    public static int? TryRead(string assignmentPath) =>
        File.Exists(PathFor(assignmentPath)) && int.TryParse(File.ReadAllText(PathFor(assignmentPath)).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
}
