namespace Orchestrator.Silo.Hosting;

/// <summary>How silos find each other and where grain state lives.</summary>
public enum ClusterMode
{
    /// <summary>One silo on loopback, grain state in files under the data directory.</summary>
    Embedded,

    /// <summary>Silos meet through Redis membership; grain state and reminders in Redis.</summary>
    Redis,
}
