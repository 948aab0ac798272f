using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Cluster;

/// <summary>One node (key: node name): liveness from heartbeats of its agent or workers.</summary>
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Records a heartbeat; returns the lag between sending and receiving in seconds.</summary>
    [Access(AccessScope.AnyWorker)]
    Task<double> HeartbeatAsync(NodeHeartbeat heartbeat);

    /// <summary>When the node was last heard from, or null if never.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<DateTimeOffset?> GetLastHeartbeatAsync();
}
