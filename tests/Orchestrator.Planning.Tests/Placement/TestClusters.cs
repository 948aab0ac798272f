using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

/// <summary>Regular clusters and occupancies for placement tests.</summary>
internal static class TestClusters
{
    /// <summary>blocks x racks x nodes x GPUs; node names b{b}-r{r}-n{n}; each node its own domain unless <paramref name="domainPerRack"/>.</summary>
    public static ClusterTopology Regular(int blocks, int racksPerBlock, int nodesPerRack, int gpusPerNode, string gpuType = "h100-80gb", bool domainPerRack = false) =>
        new("test", Nodes(blocks, racksPerBlock, nodesPerRack, gpusPerNode, gpuType, domainPerRack));

    public static IEnumerable<NodeDescription> Nodes(int blocks, int racksPerBlock, int nodesPerRack, int gpusPerNode, string gpuType, bool domainPerRack = false, string prefix = "b")
    {
        for (var b = 0; b < blocks; b++)
        {
            for (var r = 0; r < racksPerBlock; r++)
            {
                for (var n = 0; n < nodesPerRack; n++)
                {
                    var name = $"{prefix}{b}-r{r}-n{n}";
                    yield return new NodeDescription(name, $"{prefix}{b}", $"r{r}", domainPerRack ? $"{prefix}{b}/r{r}" : name, gpuType, gpusPerNode);
                }
            }
        }
    }

    /// <summary>Marks the first <paramref name="busy"/> devices of a node busy.</summary>
    public static void Occupy(FreeCapacityIndex index, string node, int busy) =>
        index.MarkBusy(Enumerable.Range(0, busy).Select(i => GpuDevice.FormatId(node, i)));

    /// <summary>Marks every device of the named nodes busy.</summary>
    public static void OccupyNodes(FreeCapacityIndex index, params string[] nodes)
    {
        foreach (var node in nodes)
        {
            Occupy(index, node, index.Topology.GetNode(node).GpuCount);
        }
    }

    /// <summary>Random busy devices, in runs of 1-8 on random nodes (like small jobs), until about <paramref name="fraction"/> is busy.</summary>
    public static FreeCapacityIndex RandomlyOccupied(ClusterTopology topology, double fraction, Random random)
    {
        var index = new FreeCapacityIndex(topology);
        var target = (int)(topology.Devices.Count * (1 - fraction));
        while (index.FreeCount() > target)
        {
            var node = topology.Nodes[random.Next(topology.Nodes.Count)];
            var want = Math.Min(random.Next(1, 9), index.FreeCount() - target);
            var free = Enumerable.Range(0, node.GpuCount).Select(i => GpuDevice.FormatId(node.Name, i)).Where(index.IsFree).Take(want).ToList();
            if (free.Count > 0) index.MarkBusy(free);
        }

        return index;
    }
}
