using Orchestrator.Planning.Hardware;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// This machine as a one-node cluster whose devices are CPU stand-ins (<see cref="HardwareCatalog.Cpu"/>), so that
/// jobs really run where there is no GPU.
/// </summary>
public static class LocalInventory
{
    /// <summary>Name of the one node, its rack, block, domain and cluster.</summary>
    public const string NodeName = "local";

    /// <summary>Builds the local cluster: devices <c>local/0</c> .. <c>local/(deviceCount-1)</c>, one NVLink domain.</summary>
    /// <param name="deviceCount">CPU stand-in devices to offer, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceCount"/> is below 1.</exception>
    public static ClusterTopology Create(int deviceCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deviceCount, 1);
        return new ClusterTopology(
            NodeName,
            [new NodeDescription(NodeName, NodeName, NodeName, NodeName, HardwareCatalog.Cpu, deviceCount)]);
    }
}
