using System.Collections.Frozen;
using Orchestrator.Planning.Hardware;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// A described cluster: cluster &gt; block &gt; rack &gt; NVLink domain &gt; node &gt; GPU, and the link each level's
/// traffic uses. Immutable; built from an inventory file, the local machine, or (later) Kubernetes node labels.
/// </summary>
public sealed class ClusterTopology
{
    private readonly Dictionary<string, int> _nodeByName;

    /// <summary>
    /// Device ordinal by id: the scheduler resolves every held device's id several times a pass, so no parsing per
    /// lookup, and frozen: its hashing looks only at the part of an id that tells ids apart.
    /// </summary>
    private readonly FrozenDictionary<string, int> _deviceById;
    private readonly Dictionary<TopologyLevel, LinkProfile> _links;

    /// <summary>Builds and checks a topology.</summary>
    /// <param name="name">The cluster's name (an inventory's <c>metadata.name</c>).</param>
    /// <param name="nodes">Every node; order is kept within each rack and domain.</param>
    /// <param name="links">
    /// Links by the innermost level two GPUs share; levels left out get <see cref="LinkDefaults.For(IEnumerable{string})"/>
    /// for the cluster's GPU types.
    /// </param>
    /// <exception cref="ArgumentException">A node or link is malformed; the message names it and says what is allowed.</exception>
    public ClusterTopology(string name, IEnumerable<NodeDescription> nodes, IReadOnlyDictionary<TopologyLevel, LinkProfile>? links = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("cluster name must not be empty", nameof(name));
        }

        Name = name;
        var checkedNodes = CheckNodes(nodes.ToList());
        Tree = TopologyTree.Build(checkedNodes);
        Nodes = Tree.Nodes;
        Devices = Tree.Devices;
        _nodeByName = new Dictionary<string, int>(Tree.Nodes.Length, StringComparer.Ordinal);
        for (var n = 0; n < Tree.Nodes.Length; n++)
        {
            _nodeByName.Add(Tree.Nodes[n].Name, n);
        }

        _deviceById = Enumerable.Range(0, Tree.DeviceCount).ToFrozenDictionary(d => Tree.DeviceIds[d], StringComparer.Ordinal);

        _links = new Dictionary<TopologyLevel, LinkProfile>(LinkDefaults.For(Tree.GpuTypes));
        foreach (var (level, link) in links ?? new Dictionary<TopologyLevel, LinkProfile>())
        {
            if (!Enum.IsDefined(level)) throw new ArgumentException($"unknown topology level {(int)level}", nameof(links));
            if (!(link.BandwidthGBps > 0) || double.IsInfinity(link.BandwidthGBps))
            {
                throw new ArgumentException($"link {level}: bandwidth must be a positive number of GB/s, got {link.BandwidthGBps}", nameof(links));
            }

            if (!(link.LatencyMicroseconds >= 0) || double.IsInfinity(link.LatencyMicroseconds))
            {
                throw new ArgumentException($"link {level}: latency must be zero or more microseconds, got {link.LatencyMicroseconds}", nameof(links));
            }

            _links[level] = link;
        }
    }

    /// <summary>The cluster's name.</summary>
    public string Name { get; }

    /// <summary>Every node, in tree order (block, rack, NVLink domain, then as given).</summary>
    public IReadOnlyList<NodeDescription> Nodes { get; }

    /// <summary>Every device, in tree order: the devices of one node, domain, rack or block are adjacent.</summary>
    public IReadOnlyList<GpuDevice> Devices { get; }

    /// <summary>The link used by traffic whose innermost common level is the key; every level is present.</summary>
    public IReadOnlyDictionary<TopologyLevel, LinkProfile> Links => _links;

    /// <summary>The distinct GPU types of the cluster (catalog names), in order of first appearance.</summary>
    public IReadOnlyList<string> GpuTypes => Tree.GpuTypes;

    /// <summary>Number of blocks.</summary>
    public int BlockCount => Tree.BlockCount;

    /// <summary>Number of racks.</summary>
    public int RackCount => Tree.RackCount;

    /// <summary>Number of NVLink domains.</summary>
    public int NvlinkDomainCount => Tree.DomainCount;

    internal TopologyTree Tree { get; }

    /// <summary>Finds a device by its id <c>"node/index"</c>.</summary>
    public bool TryGetDevice(string deviceId, out GpuDevice device)
    {
        if (TryGetOrdinal(deviceId, out var ordinal))
        {
            device = Tree.Devices[ordinal];
            return true;
        }

        device = null!;
        return false;
    }

    /// <summary>Finds a device by its id <c>"node/index"</c>.</summary>
    /// <exception cref="KeyNotFoundException">No such device in this cluster.</exception>
    public GpuDevice GetDevice(string deviceId) => Tree.Devices[Ordinal(deviceId)];

    /// <summary>Finds a node by name.</summary>
    /// <exception cref="KeyNotFoundException">No such node in this cluster.</exception>
    public NodeDescription GetNode(string nodeName) => Tree.Nodes[NodeOrdinal(nodeName)];

    /// <summary>The innermost level that contains both devices; <see cref="TopologyLevel.NvlinkDomain"/> for one device with itself.</summary>
    public TopologyLevel CommonLevel(GpuDevice a, GpuDevice b) => CommonLevel(a.Id, b.Id);

    /// <summary>The innermost level that contains both devices, given by id.</summary>
    public TopologyLevel CommonLevel(string deviceA, string deviceB) => Tree.CommonLevel(Ordinal(deviceA), Ordinal(deviceB));

    /// <summary>The link that traffic between the two devices uses: the link of their innermost common level.</summary>
    public LinkProfile LinkBetween(GpuDevice a, GpuDevice b) => _links[CommonLevel(a, b)];

    /// <summary>The link that traffic between the two devices (by id) uses.</summary>
    public LinkProfile LinkBetween(string deviceA, string deviceB) => _links[CommonLevel(deviceA, deviceB)];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Devices.Count} devices in {Nodes.Count} nodes, {NvlinkDomainCount} NVLink domains, {RackCount} racks, {BlockCount} blocks";

    internal int NodeOrdinal(string nodeName) =>
        _nodeByName.TryGetValue(nodeName, out var n)
            ? n
            : throw new KeyNotFoundException($"cluster '{Name}' has no node '{nodeName}'");

    internal int Ordinal(string deviceId) =>
        TryGetOrdinal(deviceId, out var ordinal)
            ? ordinal
            : throw new KeyNotFoundException($"cluster '{Name}' has no device '{deviceId}' (ids are \"node/index\")");

    internal bool TryGetOrdinal(string deviceId, out int ordinal)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return _deviceById.TryGetValue(deviceId, out ordinal);
    }

    private static List<NodeDescription> CheckNodes(List<NodeDescription> nodes)
    {
        if (nodes.Count == 0) throw new ArgumentException("a cluster needs at least one node", nameof(nodes));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var domains = new Dictionary<string, NodeDescription>(StringComparer.Ordinal);
        var result = new List<NodeDescription>(nodes.Count);
        foreach (var node in nodes)
        {
            ArgumentNullException.ThrowIfNull(node, nameof(nodes));
            if (string.IsNullOrWhiteSpace(node.Name) || node.Name.Contains('/'))
            {
                throw new ArgumentException($"node name '{node.Name}' is not allowed: it must be non-empty and must not contain '/'", nameof(nodes));
            }

            Require(node, node.Block, "block");
            Require(node, node.Rack, "rack");
            Require(node, node.NvlinkDomain, "NVLink domain");
            if (!names.Add(node.Name)) throw new ArgumentException($"node '{node.Name}' appears twice", nameof(nodes));
            if (node.GpuCount < 1) throw new ArgumentException($"node '{node.Name}': GPU count must be at least 1, got {node.GpuCount}", nameof(nodes));
            if (!HardwareCatalog.TryGet(node.GpuType ?? "", out var model))
            {
                throw new ArgumentException(
                    $"node '{node.Name}': unknown GPU type '{node.GpuType}'; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}", nameof(nodes));
            }

            var normalized = node with { GpuType = model.Name };
            if (domains.TryGetValue(node.NvlinkDomain, out var first))
            {
                // NVLink does not reach past a rack's switch trays, and a domain of mixed devices cannot run one tensor group evenly.
                if (first.Block != node.Block || first.Rack != node.Rack)
                {
                    throw new ArgumentException(
                        $"NVLink domain '{node.NvlinkDomain}' spans racks: node '{first.Name}' is in {first.Block}/{first.Rack}, node '{node.Name}' in {node.Block}/{node.Rack}", nameof(nodes));
                }

                if (first.GpuType != normalized.GpuType)
                {
                    throw new ArgumentException(
                        $"NVLink domain '{node.NvlinkDomain}' mixes GPU types: node '{first.Name}' has {first.GpuType}, node '{node.Name}' has {normalized.GpuType}", nameof(nodes));
                }
            }
            else
            {
                domains.Add(node.NvlinkDomain, normalized);
            }

            result.Add(normalized);
        }

        return result;
    }

    private static void Require(NodeDescription node, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"node '{node.Name}': {what} must not be empty", "nodes");
    }
}
