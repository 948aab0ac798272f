namespace Orchestrator.Planning.Topology;

/// <summary>
/// The levels of the cluster hierarchy, innermost first. Traffic between two GPUs crosses the innermost level
/// that contains both, and uses that level's link.
/// </summary>
public enum TopologyLevel
{
    /// <summary>GPUs joined by NVLink/NVSwitch: a node of 8 H100s, or a whole NVL72 rack.</summary>
    NvlinkDomain = 0,

    /// <summary>One host. Traffic inside a node but across NVLink domains uses PCIe or the host network.</summary>
    Node = 1,

    /// <summary>Nodes under one leaf switch.</summary>
    Rack = 2,

    /// <summary>Racks under one spine (a scalable unit).</summary>
    Block = 3,

    /// <summary>The whole cluster: traffic between blocks crosses the core.</summary>
    Cluster = 4,
}
