namespace Orchestrator.Silo.Execution;

/// <summary>Where every backend keeps a worker's output: <c>{logs}/{job}/attempt-{n}/{node}.log</c>.</summary>
internal static class WorkerLogPaths
{
    public static string Of(string logsDirectory, string jobId, int attempt, string node) =>
        Path.Combine(logsDirectory, jobId, $"attempt-{attempt}", $"{node}.log");
}
