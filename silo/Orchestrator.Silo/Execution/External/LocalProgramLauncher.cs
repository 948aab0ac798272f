using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Execution.External;

/// <summary>
/// Runs a user's <c>runtime.command</c> + <c>args</c> as a plain process on this machine, one per placed node, with
/// the torchrun-compatible environment (<see cref="TrainerEnvironment"/>, master 127.0.0.1), and relays it to the job
/// grain (<see cref="ExternalTrainerRelay"/>): its stdout and stderr go to the node's log, its progress lines become
/// step reports, and it is heartbeaten for while it runs. A container image in the spec is not used here.
/// </summary>
internal sealed partial class LocalProgramLauncher(
    IGrainFactory grains,
    IOptions<LocalProcessBackendOptions> options,
    TimeProvider time,
    ILogger<LocalProgramLauncher> logger)
{
    /// <summary>
    /// How the process is started: the command and args, in the daemon's working directory, with the trainer
    /// environment; null when the spec gives only an image, whose entrypoint cannot run here.
    /// </summary>
    public static ProcessStartInfo? StartInfo(WorkerAssignment assignment, int masterPort)
    {
        var runtime = assignment.Spec.Runtime;
        if (runtime.Command is not { Count: > 0 } command) return null;
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(runtime.Args ?? [])) start.ArgumentList.Add(argument);
        foreach (var (name, value) in TrainerEnvironment.For(assignment, TrainerRendezvous.For(assignment, "127.0.0.1", masterPort), mps: true))
            start.Environment[name] = value;
        return start;
    }

    /// <summary>
    /// Starts the program. One that cannot be started at all (only an image, no such file) is reported at once as a
    /// spec error: another attempt would fail the same way.
    /// </summary>
    /// <returns>The running process, or null when it could not be started.</returns>
    public async Task<Process?> StartAsync(WorkerAssignment assignment, ProcessStartInfo? start, StreamWriter log)
    {
        if (start is null)
            return await UnstartableAsync(assignment, log, $"image '{assignment.Spec.Runtime.Image}' without runtime.command cannot run on the local backend");
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            return await UnstartableAsync(assignment, log, $"cannot start '{start.FileName}': {e.Message}");
        }

        LogStarted(assignment.JobId, assignment.Attempt, assignment.Node, process.Id, start.FileName);
        return process;
    }

    /// <summary>Relays the program until it ends, then reports its end, classified (see <see cref="FailureClassification.OfLocalProcess"/>).</summary>
    /// <param name="assignment">The node's part of the attempt.</param>
    /// <param name="process">From <see cref="StartAsync"/>.</param>
    /// <param name="log">The node's log.</param>
    /// <param name="logPath">Where that log is, for the last line of a failure.</param>
    /// <param name="stopRequested">Whether the control plane has stopped the attempt (its exit is then not the program's fault).</param>
    public async Task SuperviseAsync(WorkerAssignment assignment, Process process, StreamWriter log, string logPath, Func<bool> stopRequested)
    {
        using var relay = new ExternalTrainerRelay(grains, assignment, time);
        using var beating = new CancellationTokenSource();
        var heartbeats = relay.RunHeartbeatsAsync(options.Value.ProgramHeartbeatInterval, beating.Token);

        // Asked to stop (preemption, or the attempt is over): SIGTERM, so the program can save and exit; the grain
        // kills it outright after its grace period.
        await using (relay.StopRequested.Register(() => PosixSignals.Terminate(process.Id)))
        {
            var errors = PumpAsync(process.StandardError, _ => Task.FromResult(false), log);
            var output = PumpAsync(process.StandardOutput, relay.OnOutputLineAsync, log);
            await process.WaitForExitAsync();
            await Task.WhenAll(output, errors);
        }

        await beating.CancelAsync();
        await heartbeats;
        var code = process.ExitCode;
        var cause = FailureClassification.OfLocalProcess(code, userProgram: true, stopRequested() || relay.StopRequested.IsCancellationRequested);
        lock (log) log.Flush();
        var reason = cause == ExitCause.Completed ? "program finished" : $"program {FailureClassification.DescribeLocalExit(code)}: {LogTail.LastLine(logPath)}";
        LogExited(assignment.JobId, assignment.Attempt, assignment.Node, code, cause);
        await relay.OnExitedAsync(code, cause, reason);
    }

    private async Task<Process?> UnstartableAsync(WorkerAssignment assignment, StreamWriter log, string reason)
    {
        await log.WriteLineAsync($"orchestrator: {reason}");
        using var relay = new ExternalTrainerRelay(grains, assignment, time);
        await relay.OnExitedAsync(-1, ExitCause.SpecError, reason);
        return null;
    }

    // Lines are read one at a time so the relay sees them in order; a relay failure (the control plane failing
    // over) loses that report, never the log line.
    private async Task PumpAsync(StreamReader reader, Func<string, Task<bool>> relay, StreamWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log) log.WriteLine(line);
            try
            {
                await relay(line);
            }
            catch (Exception e)
            {
                LogRelayFailed(e, line.Length > 80 ? line[..80] : line);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "started program '{Program}' for {JobId} attempt {Attempt} on {Node} (pid {ProcessId})")]
    private partial void LogStarted(string jobId, int attempt, string node, int processId, string program);

    [LoggerMessage(Level = LogLevel.Information, Message = "program for {JobId} attempt {Attempt} on {Node} exited with code {ExitCode} ({Cause})")]
    private partial void LogExited(string jobId, int attempt, string node, int exitCode, ExitCause cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relaying an output line to the control plane failed: {Line}")]
    private partial void LogRelayFailed(Exception exception, string line);
}
