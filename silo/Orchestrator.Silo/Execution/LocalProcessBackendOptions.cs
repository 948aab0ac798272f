namespace Orchestrator.Silo.Execution;

/// <summary>Settings of the local-process backend (section <c>Orchestrator:LocalProcess</c>).</summary>
internal sealed class LocalProcessBackendOptions
{
    /// <summary>The worker: a <c>.dll</c> (run with <see cref="DotnetPath"/>) or an executable.</summary>
    public string WorkerPath { get; set; } = "";

    /// <summary>The dotnet host used to run a worker given as a <c>.dll</c>.</summary>
    public string DotnetPath { get; set; } = "dotnet";

    /// <summary>Folder for worker output and assignment files: <c>{LogsDirectory}/{job}/attempt-{n}/{node}.log</c>.</summary>
    public string LogsDirectory { get; set; } = "";

    /// <summary>
    /// Whether a graceful stop of the daemon leaves built-in workers training (they re-attach to the next daemon, or
    /// stop themselves when none answers within their grace period) instead of stopping them.
    /// </summary>
    public bool KeepWorkersOnShutdown { get; set; } = true;

    /// <summary>A built-in worker's log larger than this moves to <c>LOG.1</c> and starts again (checked every 10 s).</summary>
    public long MaxLogBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often the daemon heartbeats for a running user program (<c>runtime.command</c>), which cannot itself.</summary>
    public TimeSpan ProgramHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Environment variables every built-in worker gets on top of the silo's (the gateway's TLS settings).</summary>
    public Dictionary<string, string> WorkerEnvironment { get; } = [];
}
