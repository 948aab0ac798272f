using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution.External;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// Runs each node's worker as a process on this machine: the built-in <c>Orchestrator.Worker</c>, or the user's
/// <c>runtime.command</c> through <see cref="LocalProgramLauncher"/>. Keeps each one's output per attempt, and tells
/// the job grain when it ends, classified (a stop this backend was asked for is never the worker's fault).
/// </summary>
internal sealed partial class LocalProcessBackend(
    IOptions<LocalProcessBackendOptions> options,
    IGrainFactory grains,
    LocalProgramLauncher programs,
    ILogger<LocalProcessBackend> logger) : IExecutionBackend, IDisposable
{
    private static readonly TimeSpan LogCheckPeriod = TimeSpan.FromSeconds(10);
    private readonly LocalProcessBackendOptions _options = options.Value;
    private readonly ConcurrentDictionary<(string Job, int Attempt, string Node), Process> _running = new();

    // Per attempt: whether the control plane stopped it (its exits are then Stopped whatever the code: a killed
    // process reports 137), and the rendezvous port of a user's program. Older attempts' entries go when a job launches.
    private readonly ConcurrentDictionary<(string Job, int Attempt), bool> _stopped = new();
    private readonly ConcurrentDictionary<(string Job, int Attempt), int> _masterPorts = new();

    // Built-in workers, which run detached and may outlive this daemon.
    private readonly ConcurrentDictionary<(string Job, int Attempt, string Node), bool> _detached = new();

    public bool WorkersCheckpoint => true;

    public string? Departure(RuntimeSpec runtime) => runtime.Image is { } image
        ? runtime.Command is null
            ? $"the local backend cannot run image '{image}' without runtime.command (its entrypoint is inside the image)"
            : $"the local backend runs runtime.command as a plain process on this machine; image '{image}' is not used"
        : null;

    public string LogPath(string jobId, int attempt, string node) =>
        WorkerLogPaths.Of(_options.LogsDirectory, jobId, attempt, node);

    public async Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken)
    {
        var userProgram = !assignment.Spec.Runtime.IsBuiltIn;
        if (!userProgram && (string.IsNullOrEmpty(_options.WorkerPath) || !File.Exists(_options.WorkerPath)))
            throw new InvalidOperationException($"worker executable not found at '{_options.WorkerPath}' (Orchestrator:LocalProcess:WorkerPath)");
        ForgetOlderAttempts(assignment.JobId, assignment.Attempt);
        var logPath = LogPath(assignment.JobId, assignment.Attempt, assignment.Node);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var key = (assignment.JobId, assignment.Attempt, assignment.Node);
        var stopped = () => _stopped.ContainsKey((key.JobId, key.Attempt));
        if (!userProgram)
        {
            // The built-in worker outlives the daemon (DetachedWorkers): the shell appends its output to the log.
            var assignmentPath = Path.ChangeExtension(logPath, ".assignment.json");
            var worker = Process.Start(DetachedWorkers.Detach(await WorkerStartInfoAsync(assignment, assignmentPath, cancellationToken), logPath))!;
            DetachedWorkers.WritePidFile(logPath, worker.Id);
            _running[key] = worker;
            _detached[key] = true;
            LogLaunched(assignment.JobId, assignment.Attempt, assignment.Node, worker.Id);
            var exited = worker.WaitForExitAsync();
            _ = WorkerLogRotation.WhileRunningAsync(logPath, _options.MaxLogBytes, LogCheckPeriod, exited);
            _ = SuperviseAsync(key, worker, null, () => ReportWorkerExitAsync(key, WorkloadGrains.Of(grains, assignment), exited, () => worker.ExitCode, logPath, stopped));
            return;
        }

        var start = LocalProgramLauncher.StartInfo(assignment, _masterPorts.GetOrAdd((assignment.JobId, assignment.Attempt), _ => FreePort()));
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        Process? process = null;
        try
        {
            process = await programs.StartAsync(assignment, start, log);
        }
        finally
        {
            if (process is null) await log.DisposeAsync();
        }

        if (process is null) return;

        _running[key] = process;
        LogLaunched(assignment.JobId, assignment.Attempt, assignment.Node, process.Id);
        _ = SuperviseAsync(key, process, log, () => programs.SuperviseAsync(assignment, process, log, logPath, stopped));
    }

    /// <summary>
    /// After a daemon restart: adopts the built-in workers of the attempt that still run on this machine (found by their
    /// pid files) and reports their exits as it would its own. Null when a worker runs on another machine (its
    /// heartbeats decide). User programs are the daemon's children and do not outlive it.
    /// </summary>
    public Task<IReadOnlyList<string>?> ReattachAsync(string jobId, int attempt, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var node in nodes)
        {
            var key = (jobId, attempt, node);
            if (_running.ContainsKey(key))
            {
                found.Add(node);
                continue;
            }

            var logPath = LogPath(jobId, attempt, node);
            var assignmentPath = Path.ChangeExtension(logPath, ".assignment.json");
            int? pid;
            try
            {
                pid = DetachedWorkers.FindAlive(logPath, assignmentPath);
            }
            catch (InvalidOperationException)
            {
                return Task.FromResult<IReadOnlyList<string>?>(null);
            }

            if (pid is not { } id) continue;
            Process adopted;
            try
            {
                adopted = Process.GetProcessById(id);
            }
            catch (ArgumentException)
            {
                continue;
            }

            _running[key] = adopted;
            _detached[key] = true;
            found.Add(node);
            LogAdopted(jobId, attempt, node, id);
            var exited = DetachedWorkers.WaitForExitAsync(id, assignmentPath, TimeSpan.FromMilliseconds(500), CancellationToken.None);
            _ = WorkerLogRotation.WhileRunningAsync(logPath, _options.MaxLogBytes, LogCheckPeriod, exited);
            _ = SuperviseAsync(key, adopted, null, () => ReportWorkerExitAsync(key, WorkloadGrains.OfKey(grains, jobId), exited, () => exited.Result, logPath, () => _stopped.ContainsKey((jobId, attempt))));
        }

        return Task.FromResult<IReadOnlyList<string>?>(found);
    }

    /// <summary>Process ids of a job's running workers (for fault drills and benchmarks that kill one).</summary>
    public IReadOnlyList<int> ProcessIdsOf(string jobId) =>
        _running.Where(r => r.Key.Job == jobId).Select(r => r.Value.Id).ToList();

    public Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        _stopped[(jobId, attempt)] = true;
        foreach (var (key, process) in _running)
        {
            if (key.Job == jobId && key.Attempt == attempt) Kill(process);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // A graceful stop leaves built-in workers training (they re-attach to the next daemon); user programs are
        // this process's children with their output piped through it, so they stop with it.
        foreach (var (key, process) in _running)
        {
            if (_options.KeepWorkersOnShutdown && _detached.ContainsKey(key)) continue;
            _stopped[(key.Job, key.Attempt)] = true;
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: its supervisor reports the exit.
        }
    }

    private async Task<ProcessStartInfo> WorkerStartInfoAsync(WorkerAssignment assignment, string assignmentPath, CancellationToken cancellationToken)
    {
        await WorkerAssignmentFile.WriteAsync(assignmentPath, assignment, cancellationToken);
        var isAssembly = _options.WorkerPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isAssembly ? _options.DotnetPath : _options.WorkerPath)
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assignmentPath)!,
        };
        if (isAssembly) start.ArgumentList.Add(_options.WorkerPath);
        // MKL may otherwise run a GEMM on fewer threads than torch asked for when the machine is busy, which changes
        // the order of its reductions: a resumed run would then drift from an uninterrupted one in the last bits.
        // An operator's own setting wins.
        foreach (var name in (string[])["MKL_DYNAMIC", "OMP_DYNAMIC"])
            start.Environment.TryAdd(name, "FALSE");
        start.ArgumentList.Add("--assignment");
        start.ArgumentList.Add(assignmentPath);
        // A GPU share's fraction; the MPS thread limit takes effect where the host runs an MPS control daemon.
        foreach (var (name, value) in GpuShareEnvironment.For(assignment.Spec, mps: true)) start.Environment[name] = value;
        foreach (var (name, value) in _options.WorkerEnvironment) start.Environment[name] = value;
        return start;
    }

    private async Task SuperviseAsync((string Job, int Attempt, string Node) key, Process process, StreamWriter? log, Func<Task> superviseUntilReported)
    {
        try
        {
            await superviseUntilReported();
        }
        catch (Exception e)
        {
            LogSuperviseFailed(e, key.Job, key.Attempt, key.Node);
        }
        finally
        {
            _running.TryRemove(key, out _);
            _detached.TryRemove(key, out _);
            if (log is not null)
            {
                lock (log) log.Dispose();
            }

            process.Dispose();
        }
    }

    private async Task ReportWorkerExitAsync((string Job, int Attempt, string Node) key, IWorkloadGrain workload, Task exited, Func<int> exitCode, string logPath, Func<bool> stopped)
    {
        await exited;
        var code = exitCode();
        var cause = FailureClassification.OfLocalProcess(code, userProgram: false, stopped());
        var reason = code == 0 ? "worker finished" : $"worker {FailureClassification.DescribeLocalExit(code)}: {LogTail.LastLine(logPath)}";
        LogExited(key.Job, key.Attempt, key.Node, code);
        await workload.ReportWorkerExitAsync(key.Attempt, new WorkerExit(key.Node, code, reason, cause));
    }

    private void ForgetOlderAttempts(string jobId, int attempt)
    {
        foreach (var key in _stopped.Keys.Where(k => k.Job == jobId && k.Attempt < attempt)) _stopped.TryRemove(key, out _);
        foreach (var key in _masterPorts.Keys.Where(k => k.Job == jobId && k.Attempt < attempt)) _masterPorts.TryRemove(key, out _);
    }

    // A port the kernel just handed out on loopback: free now, and not handed out again soon.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "launched worker for {JobId} attempt {Attempt} on {Node} (pid {ProcessId})")]
    private partial void LogLaunched(string jobId, int attempt, string node, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "re-attached to the worker for {JobId} attempt {Attempt} on {Node} (pid {ProcessId}), which outlived the previous daemon")]
    private partial void LogAdopted(string jobId, int attempt, string node, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "worker for {JobId} attempt {Attempt} on {Node} exited with code {ExitCode}")]
    private partial void LogExited(string jobId, int attempt, string node, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "supervising the worker for {JobId} attempt {Attempt} on {Node} failed")]
    private partial void LogSuperviseFailed(Exception exception, string jobId, int attempt, string node);
}
