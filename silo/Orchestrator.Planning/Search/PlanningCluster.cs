using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Search;

/// <summary>
/// The GPUs a plan is made for: how many, of which model, and the links of each topology level. Ranks are laid
/// out in Megatron-LM order (tensor fastest, then data, then pipeline) over consecutive GPUs, so a group's span
/// of consecutive ranks says which level it crosses.
/// </summary>
/// <param name="GpuCount">GPUs the job gets; a plan uses all of them.</param>
/// <param name="Gpu">The device model.</param>
/// <param name="Links">Per-GPU link for traffic crossing each level; a level left out uses the next outer one.</param>
/// <param name="NvlinkDomainSize">GPUs joined by NVLink; tensor groups stay inside one domain.</param>
/// <param name="GpusPerNode">GPUs per host.</param>
/// <param name="GpusPerRack">GPUs under one leaf switch, or null when unknown (traffic leaving a node is then priced at the cluster level).</param>
/// <param name="GpusPerBlock">GPUs under one spine, or null when unknown.</param>
public sealed record PlanningCluster(
    int GpuCount,
    GpuModel Gpu,
    IReadOnlyDictionary<TopologyLevel, LinkProfile> Links,
    int NvlinkDomainSize,
    int GpusPerNode,
    int? GpusPerRack = null,
    int? GpusPerBlock = null)
{
    /// <summary>Latency of an NVLink transfer in the default node, in microseconds (NVSwitch hop plus NCCL step overhead).</summary>
    public const double DefaultNvlinkLatencyMicroseconds = 2;

    /// <summary>Latency of a network transfer between default nodes, in microseconds (InfiniBand/RoCE through a switch).</summary>
    public const double DefaultNetworkLatencyMicroseconds = 5;

    /// <summary>
    /// <paramref name="gpuCount"/> GPUs of a catalog type in its reference nodes: NVLink inside a node, the node's
    /// per-GPU network card between nodes.
    /// </summary>
    /// <exception cref="ArgumentException">The GPU type is unknown or the count is below 1.</exception>
    public static PlanningCluster ForGpuType(string gpuType, int gpuCount)
    {
        ArgumentNullException.ThrowIfNull(gpuType);
        var gpu = HardwareCatalog.Get(gpuType);
        var cluster = ForGpu(gpu, gpuCount);
        if (cluster.Validate() is { } error) throw new ArgumentException(error, nameof(gpuCount));
        return cluster;
    }

    /// <summary>Like <see cref="ForGpuType"/> for a device model already in hand.</summary>
    public static PlanningCluster ForGpu(GpuModel gpu, int gpuCount)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var links = new Dictionary<TopologyLevel, LinkProfile>
        {
            [TopologyLevel.NvlinkDomain] = new(gpu.NvlinkGBps, DefaultNvlinkLatencyMicroseconds),
            [TopologyLevel.Cluster] = new(gpu.NetworkGBps, DefaultNetworkLatencyMicroseconds),
        };
        return new PlanningCluster(gpuCount, gpu, links, gpu.GpusPerNode, gpu.GpusPerNode);
    }

    /// <summary>
    /// <paramref name="gpuCount"/> GPUs of one type in a described cluster: its links, and its NVLink domain, node,
    /// rack and block sizes (the largest of each among the nodes of that type), so an NVL72-class domain lets the
    /// search use tensor sizes above 8.
    /// </summary>
    /// <exception cref="ArgumentException">The cluster has no GPUs of that type, or fewer than asked for.</exception>
    public static PlanningCluster FromTopology(ClusterTopology topology, GpuModel gpu, int gpuCount)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(gpu);
        var nodes = topology.Nodes.Where(n => string.Equals(n.GpuType, gpu.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (nodes.Count == 0)
            throw new ArgumentException($"resources.gpuType: the inventory '{topology.Name}' has no {gpu.Name} devices; it has {string.Join(", ", topology.GpuTypes)}", nameof(gpu));
        var available = nodes.Sum(n => n.GpuCount);
        if (gpuCount > available)
            throw new ArgumentException($"resources.gpus: {gpuCount} exceeds the {available} {gpu.Name} devices of inventory '{topology.Name}'", nameof(gpuCount));
        return new PlanningCluster(gpuCount, gpu, topology.Links,
            NvlinkDomainSize: nodes.GroupBy(n => n.NvlinkDomain).Max(g => g.Sum(n => n.GpuCount)),
            GpusPerNode: nodes.Max(n => n.GpuCount),
            GpusPerRack: nodes.GroupBy(n => (n.Block, n.Rack)).Max(g => g.Sum(n => n.GpuCount)),
            GpusPerBlock: nodes.GroupBy(n => n.Block).Max(g => g.Sum(n => n.GpuCount)));
    }

    /// <summary>Checks the description.</summary>
    /// <returns>An error naming the field, or null.</returns>
    public string? Validate()
    {
        if (GpuCount < 1) return $"resources.gpus must be at least 1, got {GpuCount}";
        if (NvlinkDomainSize < 1) return $"nvlinkDomainSize must be at least 1, got {NvlinkDomainSize}";
        if (GpusPerNode < 1) return $"gpusPerNode must be at least 1, got {GpusPerNode}";
        if (Links.Count == 0) return "links must describe at least one topology level";
        if (!Links.ContainsKey(TopologyLevel.Cluster) && !Links.Keys.Any(level => level > TopologyLevel.NvlinkDomain))
            return "links must describe a level outside the NVLink domain (rack, block or cluster)";
        foreach (var (level, link) in Links)
        {
            if (link.BandwidthGBps <= 0) return $"links.{level}.bandwidth must be positive, got {link.BandwidthGBps}";
            if (link.LatencyMicroseconds < 0) return $"links.{level}.latency must not be negative, got {link.LatencyMicroseconds}";
        }

        return null;
    }

    /// <summary>The level whose unit first holds <paramref name="span"/> consecutive GPUs.</summary>
    public TopologyLevel LevelSpanning(long span)
    {
        if (span <= NvlinkDomainSize) return TopologyLevel.NvlinkDomain;
        if (span <= GpusPerNode) return TopologyLevel.Node;
        if (GpusPerRack is { } rack && span <= rack) return TopologyLevel.Rack;
        if (GpusPerBlock is { } block && span <= block) return TopologyLevel.Block;
        return TopologyLevel.Cluster;
    }

    /// <summary>
    /// The links a layout's groups use when its ranks fill the GPUs in Megatron order: a tensor group spans t
    /// consecutive GPUs, a context ring t·c, a data group (which reduces together with the context ranks) t·c·d,
    /// an expert group t·c·e, and neighbouring stages sit t·c·d apart.
    /// </summary>
    public GroupLinks LinksFor(ParallelLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        long t = layout.Tensor, c = layout.Context, d = layout.Data, e = layout.Expert;
        var dataLevel = LevelSpanning(t * c * d);
        var expertLevel = LevelSpanning(t * c * e);
        return GroupLinks.FromLevels(
            Links,
            LevelSpanning(t),
            layout.Pipeline == 1 ? TopologyLevel.NvlinkDomain : LevelSpanning(2 * t * c * d),
            dataLevel,
            expertLevel,
            RanksPerNode(t, c * d, dataLevel),
            RanksPerNode(t, c * e, expertLevel)) with { Context = GroupLinks.Resolve(Links, LevelSpanning(t * c)) };
    }

    private int RanksPerNode(long tensor, long groupSize, TopologyLevel level) =>
        level <= TopologyLevel.Node ? 1 : (int)Math.Max(1, Math.Min(groupSize, GpusPerNode / tensor));
}
