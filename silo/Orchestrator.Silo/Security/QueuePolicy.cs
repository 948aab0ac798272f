namespace Orchestrator.Silo.Security;

/// <summary>A queue's policy (<c>Orchestrator:Security:Queues:NAME</c>).</summary>
public sealed class QueuePolicy
{
    /// <summary>The highest priority a non-admin may give a job in this queue.</summary>
    public int MaxPriority { get; set; } = 1000;
}
