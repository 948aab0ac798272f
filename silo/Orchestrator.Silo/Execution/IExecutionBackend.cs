using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// Runs the workers of an attempt: local processes, Kubernetes pods, or a simulator. A backend reports a worker's
/// end to its job grain (<c>ReportWorkerExitAsync</c>); it never decides anything about the job.
/// </summary>
internal interface IExecutionBackend
{
    /// <summary>Starts the worker for one node of an attempt.</summary>
    Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken);

    /// <summary>Stops every worker of the attempt (no-op for workers already gone).</summary>
    Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken);

    /// <summary>
    /// True when its workers save checkpoints (the built-in worker does); a preempted job then gets a grace period
    /// to checkpoint before it is stopped. A simulator's workers do not, and are stopped at once.
    /// </summary>
    bool WorkersCheckpoint { get; }

    /// <summary>Where the output of the worker of <paramref name="node"/> for an attempt is kept on this machine.</summary>
    string LogPath(string jobId, int attempt, string node);

    /// <summary>
    /// The output of the worker of <paramref name="node"/> from byte <paramref name="offset"/>: from <see cref="LogPath"/>
    /// unless the backend reads it from elsewhere (Kubernetes: the pod's log through the API).
    /// </summary>
    Task<LogChunk> ReadLogAsync(string jobId, int attempt, string node, long offset, bool attemptEnded, CancellationToken cancellationToken) =>
        Task.FromResult(LogReader.Read(LogPath(jobId, attempt, node), offset, attempt, attemptEnded));

    /// <summary>
    /// After the control plane restarted (or the job's grain moved to another silo): finds the workers of a running
    /// attempt that are still alive and supervises them again. Returns the nodes whose workers were found; null when
    /// the backend cannot tell (the workers' heartbeats then decide).
    /// </summary>
    Task<IReadOnlyList<string>?> ReattachAsync(string jobId, int attempt, IReadOnlyList<string> nodes, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>
    /// What the job's events should say about how this backend runs <paramref name="runtime"/> when it departs from
    /// the spec (the local backend ignores an image); null when it runs it as written.
    /// </summary>
    string? Departure(RuntimeSpec runtime) => null;
}
