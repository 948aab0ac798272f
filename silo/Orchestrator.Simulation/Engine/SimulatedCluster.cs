using Orchestrator.Planning.Topology;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Engine;

/// <summary>
/// The topology of a scenario's cluster: each pool in nodes of 8 GPUs (one NVLink domain each), 16 nodes per rack,
/// 16 racks per block, nodes named <c>{type}-b{block}-r{rack}-n{node}</c>, with the catalog's default links.
/// </summary>
internal static class SimulatedCluster
{
    public static ClusterTopology Build(ClusterScenario cluster, string name)
    {
        var nodes = new List<NodeDescription>();
        foreach (var pool in cluster.Pools)
        {
            for (var n = 0; n < pool.Gpus / ClusterScenario.GpusPerNode; n++)
            {
                var (block, rack, slot) = (n / (ClusterScenario.NodesPerRack * ClusterScenario.RacksPerBlock), n / ClusterScenario.NodesPerRack % ClusterScenario.RacksPerBlock, n % ClusterScenario.NodesPerRack);
                var node = $"{pool.GpuType}-b{block}-r{rack}-n{slot:D2}";
                nodes.Add(new NodeDescription(node, $"{pool.GpuType}-b{block}", $"r{rack}", node, pool.GpuType, ClusterScenario.GpusPerNode));
            }
        }

        return new ClusterTopology(name, nodes);
    }
}
