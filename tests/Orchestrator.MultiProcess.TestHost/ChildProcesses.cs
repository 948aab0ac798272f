using System.Diagnostics;

namespace Orchestrator.MultiProcess.TestHost;

/// <summary>Starts test-host processes (one per simulated node) and collects how they ended; for tests and benchmarks.</summary>
public static class ChildProcesses
{
    /// <summary>What one child did.</summary>
    public sealed record Outcome(int Process, int ExitCode, string Output, TimeSpan Elapsed);

    /// <summary>
    /// Runs one test host per argument list at once and waits for all; a child still running after
    /// <paramref name="hangGuard"/> is killed (exit code -1) so that a broken build fails rather than hangs.
    /// <paramref name="environmentPerProcess"/>, when given, adds variables to each child's environment.
    /// </summary>
    public static IReadOnlyList<Outcome> Run(
        IReadOnlyList<IReadOnlyList<string>> argumentsPerProcess, TimeSpan hangGuard,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? environmentPerProcess = null)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Orchestrator.MultiProcess.TestHost.dll");
        var started = argumentsPerProcess.Select((arguments, index) =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(host);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            foreach (var (name, value) in environmentPerProcess?[index] ?? new Dictionary<string, string>()) start.Environment[name] = value;
            var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            return (Index: index, Process: process, Output: output, Errors: errors, Clock: Stopwatch.StartNew());
        }).ToList();

        return started.Select(child =>
        {
            using var process = child.Process;
            var exited = process.WaitForExit(hangGuard);
            if (!exited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Outcome(child.Index, exited ? process.ExitCode : -1, child.Output.Result + child.Errors.Result, child.Clock.Elapsed);
        }).ToList();
    }
}
