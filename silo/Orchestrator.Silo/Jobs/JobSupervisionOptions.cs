namespace Orchestrator.Silo.Jobs;

/// <summary>How job grains watch their workers (section <c>Orchestrator:Supervision</c>).</summary>
internal sealed class JobSupervisionOptions
{
    /// <summary>An attempt whose workers have not been heard from for this long has failed.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Grace for a new attempt's workers to start (process start, runtime load) before the first heartbeat.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often the grain checks its workers' liveness.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress is persisted at most this often (transitions are persisted at once).</summary>
    public TimeSpan ProgressPersistInterval { get; set; } = TimeSpan.FromSeconds(5);
}
