using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Wraps the execution backend so every worker it launches gets its attempt's secret in its assignment (when
/// authentication is on). A decorator, so neither the job grain nor the backends change for it.
/// </summary>
internal sealed class CredentialingBackend(IExecutionBackend inner, Authenticator authenticator) : IExecutionBackend, IDisposable
{
    public bool WorkersCheckpoint => inner.WorkersCheckpoint;

    public Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken) =>
        inner.LaunchAsync(authenticator.Enabled ? assignment with { Credential = authenticator.Workers.For(assignment.JobId, assignment.Attempt) } : assignment, cancellationToken);

    public Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        // The attempt is over: its secret need not stay among the verified credentials (it is checked afresh if used).
        authenticator.ForgetAttempt(jobId, attempt);
        return inner.StopAsync(jobId, attempt, cancellationToken);
    }

    public string LogPath(string jobId, int attempt, string node) => inner.LogPath(jobId, attempt, node);

    public Task<LogChunk> ReadLogAsync(string jobId, int attempt, string node, long offset, bool attemptEnded, CancellationToken cancellationToken) =>
        inner.ReadLogAsync(jobId, attempt, node, offset, attemptEnded, cancellationToken);

    public string? Departure(RuntimeSpec runtime) => inner.Departure(runtime);

    // A re-attached worker keeps the secret it was launched with (the same attempt, so the same secret).
    public Task<IReadOnlyList<string>?> ReattachAsync(string jobId, int attempt, IReadOnlyList<string> nodes, CancellationToken cancellationToken) =>
        inner.ReattachAsync(jobId, attempt, nodes, cancellationToken);

    // The wrapped backend was built for this decorator, so the container disposes only the decorator.
    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>The backend it wraps (tests and benchmarks reach the simulator through it).</summary>
    public IExecutionBackend Inner => inner;
}
