using k8s.Models;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Inventory;

namespace Orchestrator.Kubernetes.Inventory;

/// <summary>Builds the inventory (every node, schedulable or not) and the topology the scheduler plans on from listed nodes.</summary>
internal static class NodeInventoryBuilder
{
    public const string Source = "kubernetes";

    public static (InventorySnapshot Snapshot, ClusterTopology? Topology) Build(IEnumerable<V1Node> nodes, KubernetesBackendOptions options)
    {
        var infos = nodes.Select(n => NodeMapping.ToNodeInfo(n, options)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var schedulable = infos.Where(n => n.Schedulable).ToList();
        var topology = schedulable.Count == 0
            ? null
            : new ClusterTopology(Source, schedulable.Select(n => new NodeDescription(n.Name, n.Block, n.Rack, n.NvlinkDomain, n.GpuType, n.GpuCount)));
        var links = topology?.Links.OrderBy(l => l.Key)
            .Select(l => new LinkInfo(InventoryMapping.LevelName(l.Key), l.Value.BandwidthGBps, l.Value.LatencyMicroseconds))
            .ToList() ?? [];
        return (new InventorySnapshot(Source, Source, infos, links), topology);
    }
}
