using Orchestrator.Contracts.Cluster;
using Orchestrator.Silo.Metrics;

namespace Orchestrator.Silo.Cluster;

/// <summary>
/// One node's liveness. Heartbeats arrive at about 1 Hz per node, so they are kept in memory only: a node is
/// alive if it was heard from recently, which a restarted silo learns again within a heartbeat period.
/// </summary>
internal sealed class NodeGrain(OrchestratorMetrics metrics, TimeProvider time) : Grain, INodeGrain
{
    private DateTimeOffset? _last;

    public Task<double> HeartbeatAsync(NodeHeartbeat heartbeat)
    {
        var now = time.GetUtcNow();
        _last = now;
        var lag = Math.Max(0, (now - heartbeat.SentAt).TotalSeconds);
        metrics.HeartbeatLagSeconds.Observe(lag);
        return Task.FromResult(lag);
    }

    public Task<DateTimeOffset?> GetLastHeartbeatAsync() => Task.FromResult(_last);
}
