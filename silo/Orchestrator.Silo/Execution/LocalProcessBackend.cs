using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// Runs each node's worker as an <c>Orchestrator.Worker</c> process on this machine, keeps its output per attempt,
/// and tells the job grain when it ends.
/// </summary>
internal sealed partial class LocalProcessBackend(
    IOptions<LocalProcessBackendOptions> options,
    IGrainFactory grains,
    ILogger<LocalProcessBackend> logger) : IExecutionBackend, IDisposable
{
    private readonly LocalProcessBackendOptions _options = options.Value;
    private readonly ConcurrentDictionary<(string Job, int Attempt, string Node), Process> _running = new();

    // Attempts the control plane stopped: their exits are Stopped whatever the code (a killed process reports 137).
    private readonly ConcurrentDictionary<(string Job, int Attempt), bool> _stopped = new();

    public bool WorkersCheckpoint => true;

    public string LogPath(string jobId, int attempt, string node) =>
        Path.Combine(_options.LogsDirectory, jobId, $"attempt-{attempt}", $"{node}.log");

    public async Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.WorkerPath) || !File.Exists(_options.WorkerPath))
            throw new InvalidOperationException($"worker executable not found at '{_options.WorkerPath}' (Orchestrator:LocalProcess:WorkerPath)");
        var logPath = LogPath(assignment.JobId, assignment.Attempt, assignment.Node);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var assignmentPath = Path.ChangeExtension(logPath, ".assignment.json");
        await WorkerAssignmentFile.WriteAsync(assignmentPath, assignment, cancellationToken);

        var isAssembly = _options.WorkerPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isAssembly ? _options.DotnetPath : _options.WorkerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logPath)!,
        };
        if (isAssembly) start.ArgumentList.Add(_options.WorkerPath);
        start.ArgumentList.Add("--assignment");
        start.ArgumentList.Add(assignmentPath);

        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var key = (assignment.JobId, assignment.Attempt, assignment.Node);
        _running[key] = process;
        LogLaunched(assignment.JobId, assignment.Attempt, assignment.Node, process.Id);
        _ = SuperviseAsync(key, process, log, logPath);
    }

    /// <summary>Process ids of a job's running workers (for fault drills and benchmarks that kill one).</summary>
    public IReadOnlyList<int> ProcessIdsOf(string jobId) =>
        _running.Where(r => r.Key.Job == jobId).Select(r => r.Value.Id).ToList();

    public Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        _stopped[(jobId, attempt)] = true;
        foreach (var (key, process) in _running)
        {
            if (key.Job != jobId || key.Attempt != attempt) continue;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited: its supervisor reports the exit.
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var (key, process) in _running)
        {
            _stopped[(key.Job, key.Attempt)] = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    private async Task SuperviseAsync((string Job, int Attempt, string Node) key, Process process, StreamWriter log, string logPath)
    {
        try
        {
            await process.WaitForExitAsync();
            var code = process.ExitCode;
            lock (log) log.Dispose();
            _running.TryRemove(key, out _);
            var cause = FailureClassification.OfLocalProcess(code, userProgram: false, _stopped.ContainsKey((key.Job, key.Attempt)));
            var reason = code == 0 ? "worker finished" : $"worker {FailureClassification.DescribeLocalExit(code)}: {Tail(logPath)}";
            LogExited(key.Job, key.Attempt, key.Node, code);
            await grains.GetGrain<IJobGrain>(key.Job).ReportWorkerExitAsync(key.Attempt, new WorkerExit(key.Node, code, reason, cause));
        }
        catch (Exception e)
        {
            LogSuperviseFailed(e, key.Job, key.Attempt, key.Node);
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - 400), SeekOrigin.Begin);
            var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? "(no output)" : lines[^1];
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "launched worker for {JobId} attempt {Attempt} on {Node} (pid {ProcessId})")]
    private partial void LogLaunched(string jobId, int attempt, string node, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "worker for {JobId} attempt {Attempt} on {Node} exited with code {ExitCode}")]
    private partial void LogExited(string jobId, int attempt, string node, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "supervising the worker for {JobId} attempt {Attempt} on {Node} failed")]
    private partial void LogSuperviseFailed(Exception exception, string jobId, int attempt, string node);
}
