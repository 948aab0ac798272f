using System.Collections.Concurrent;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// A backend whose workers are simulated by someone else (a benchmark's load generator, a scheduling simulator):
/// launching records the assignment, stopping forgets it, nothing runs. Exposes what is "running" so the
/// simulator can act as those workers.
/// </summary>
internal sealed class SimulatedBackend : IExecutionBackend
{
    private readonly ConcurrentDictionary<(string Job, int Attempt, string Node), WorkerAssignment> _running = new();

    public IReadOnlyCollection<WorkerAssignment> Running => _running.Values.ToList();

    /// <summary>Whether the simulated workers answer a preemption or suspend with a checkpoint (then the simulator reports it); false unless set.</summary>
    public bool WorkersCheckpoint { get; set; }

    public Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken)
    {
        _running[(assignment.JobId, assignment.Attempt, assignment.Node)] = assignment;
        return Task.CompletedTask;
    }

    public Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        foreach (var key in _running.Keys.Where(k => k.Job == jobId && k.Attempt == attempt)) _running.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public string LogPath(string jobId, int attempt, string node) => WorkerLogPaths.Of(Path.Combine(Path.GetTempPath(), "orchestrator-simulated"), jobId, attempt, node);
}
