using System.Text.Json;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Silo.Inventory;

/// <summary>Converts between the planner's topology and the serializable inventory the grains persist.</summary>
internal static class InventoryMapping
{
    public static InventorySnapshot ToSnapshot(ClusterTopology topology, string source) => new(
        topology.Name,
        source,
        topology.Nodes.Select(n => new NodeInfo(n.Name, n.Block, n.Rack, n.NvlinkDomain, n.GpuType, n.GpuCount)).ToList(),
        topology.Links.OrderBy(l => l.Key).Select(l => new LinkInfo(LevelName(l.Key), l.Value.BandwidthGBps, l.Value.LatencyMicroseconds)).ToList());

    /// <summary>The topology the scheduler plans on: schedulable nodes only.</summary>
    public static ClusterTopology ToTopology(InventorySnapshot snapshot) => new(
        snapshot.Name,
        snapshot.Nodes.Where(n => n.Schedulable).Select(n => new NodeDescription(n.Name, n.Block, n.Rack, n.NvlinkDomain, n.GpuType, n.GpuCount)),
        snapshot.Links.ToDictionary(l => ParseLevel(l.Level), l => new LinkProfile(l.BandwidthGBps, l.LatencyMicroseconds)));

    public static string LevelName(TopologyLevel level) => JsonNamingPolicy.CamelCase.ConvertName(level.ToString());

    private static TopologyLevel ParseLevel(string name) => Enum.Parse<TopologyLevel>(name, ignoreCase: true);
}
