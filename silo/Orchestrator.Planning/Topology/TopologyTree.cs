namespace Orchestrator.Planning.Topology;

/// <summary>
/// The cluster flattened into arrays, in tree order (block, rack, NVLink domain, node, device), so that every
/// subtree is a contiguous range of the level below it. Placement and the free-capacity index work on these
/// ordinals instead of strings: a pass over 65,536 devices then costs microseconds.
/// </summary>
internal sealed class TopologyTree
{
    public required NodeDescription[] Nodes { get; init; }

    public required GpuDevice[] Devices { get; init; }

    /// <summary>Id of each device, built once: <see cref="GpuDevice.Id"/> formats a new string on every read, and placements hand out thousands.</summary>
    public required string[] DeviceIds { get; init; }

    /// <summary>Node ordinal of each device.</summary>
    public required int[] DeviceNode { get; init; }

    /// <summary>First device ordinal of each node; one extra entry holds the device count.</summary>
    public required int[] NodeFirstDevice { get; init; }

    public required int[] NodeDomain { get; init; }

    /// <summary>First node ordinal of each domain; one extra entry holds the node count.</summary>
    public required int[] DomainFirstNode { get; init; }

    public required int[] DomainRack { get; init; }

    /// <summary>Index into <see cref="GpuTypes"/> of each domain's devices (a domain has one type).</summary>
    public required int[] DomainType { get; init; }

    public required string[] DomainIds { get; init; }

    /// <summary>First domain ordinal of each rack; one extra entry holds the domain count.</summary>
    public required int[] RackFirstDomain { get; init; }

    public required int[] RackBlock { get; init; }

    /// <summary>Racks as <c>block/rack</c>: rack names repeat across blocks.</summary>
    public required string[] RackKeys { get; init; }

    /// <summary>First rack ordinal of each block; one extra entry holds the rack count.</summary>
    public required int[] BlockFirstRack { get; init; }

    public required string[] BlockNames { get; init; }

    /// <summary>The distinct GPU types, in order of first appearance.</summary>
    public required string[] GpuTypes { get; init; }

    public int DeviceCount => Devices.Length;

    public int DomainCount => DomainIds.Length;

    public int RackCount => RackKeys.Length;

    public int BlockCount => BlockNames.Length;

    public int DeviceDomain(int device) => NodeDomain[DeviceNode[device]];

    public int DeviceRack(int device) => DomainRack[DeviceDomain(device)];

    public int DeviceBlock(int device) => RackBlock[DeviceRack(device)];

    public int DomainFirstDevice(int domain) => NodeFirstDevice[DomainFirstNode[domain]];

    public int DomainEndDevice(int domain) => NodeFirstDevice[DomainFirstNode[domain + 1]];

    /// <summary>The innermost level holding both devices.</summary>
    public TopologyLevel CommonLevel(int a, int b)
    {
        // A node lies inside one NVLink domain, so two devices that share a node share a domain and the Node level
        // is never the innermost common one here; it stays in the link table for costs that price host paths.
        var domainA = DeviceDomain(a);
        var domainB = DeviceDomain(b);
        if (domainA == domainB) return TopologyLevel.NvlinkDomain;
        var rackA = DomainRack[domainA];
        var rackB = DomainRack[domainB];
        if (rackA == rackB) return TopologyLevel.Rack;
        return RackBlock[rackA] == RackBlock[rackB] ? TopologyLevel.Block : TopologyLevel.Cluster;
    }

    /// <summary>Groups the (validated) nodes by block, rack and domain, each in order of first appearance.</summary>
    public static TopologyTree Build(IReadOnlyList<NodeDescription> nodes)
    {
        var cluster = new Group<Group<Group<Group<NodeDescription>>>>("");
        foreach (var node in nodes)
        {
            FindOrAdd(FindOrAdd(FindOrAdd(cluster, node.Block), node.Rack), node.NvlinkDomain).Items.Add(node);
        }

        var blocks = cluster.Items;

        var orderedNodes = new List<NodeDescription>(nodes.Count);
        var nodeDomain = new List<int>();
        var domainFirstNode = new List<int>();
        var domainRack = new List<int>();
        var domainIds = new List<string>();
        var rackFirstDomain = new List<int>();
        var rackBlock = new List<int>();
        var rackKeys = new List<string>();
        var blockFirstRack = new List<int>();
        foreach (var block in blocks)
        {
            blockFirstRack.Add(rackKeys.Count);
            foreach (var rack in block.Items)
            {
                rackFirstDomain.Add(domainIds.Count);
                rackBlock.Add(blockFirstRack.Count - 1);
                rackKeys.Add($"{block.Key}/{rack.Key}");
                foreach (var domain in rack.Items)
                {
                    domainFirstNode.Add(orderedNodes.Count);
                    domainRack.Add(rackKeys.Count - 1);
                    domainIds.Add(domain.Key);
                    foreach (var node in domain.Items)
                    {
                        orderedNodes.Add(node);
                        nodeDomain.Add(domainIds.Count - 1);
                    }
                }
            }
        }

        blockFirstRack.Add(rackKeys.Count);
        rackFirstDomain.Add(domainIds.Count);
        domainFirstNode.Add(orderedNodes.Count);

        var gpuTypes = orderedNodes.Select(n => n.GpuType).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var typeIndex = gpuTypes.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.OrdinalIgnoreCase);
        var devices = new List<GpuDevice>();
        var deviceNode = new List<int>();
        var nodeFirstDevice = new List<int>();
        for (var n = 0; n < orderedNodes.Count; n++)
        {
            nodeFirstDevice.Add(devices.Count);
            for (var i = 0; i < orderedNodes[n].GpuCount; i++)
            {
                devices.Add(new GpuDevice(orderedNodes[n].Name, i, orderedNodes[n].GpuType));
                deviceNode.Add(n);
            }
        }

        nodeFirstDevice.Add(devices.Count);
        return new TopologyTree
        {
            Nodes = [.. orderedNodes],
            Devices = [.. devices],
            DeviceIds = devices.Select(d => d.Id).ToArray(),
            DeviceNode = [.. deviceNode],
            NodeFirstDevice = [.. nodeFirstDevice],
            NodeDomain = [.. nodeDomain],
            DomainFirstNode = [.. domainFirstNode],
            DomainRack = [.. domainRack],
            DomainType = domainFirstNode.Take(domainIds.Count).Select(n => typeIndex[orderedNodes[n].GpuType]).ToArray(),
            DomainIds = [.. domainIds],
            RackFirstDomain = [.. rackFirstDomain],
            RackBlock = [.. rackBlock],
            RackKeys = [.. rackKeys],
            BlockFirstRack = [.. blockFirstRack],
            BlockNames = blocks.Select(b => b.Key).ToArray(),
            GpuTypes = gpuTypes,
        };
    }

    /// <summary>The child of <paramref name="parent"/> with <paramref name="key"/>, added at the end if new (first-appearance order).</summary>
    private static Group<T> FindOrAdd<T>(Group<Group<T>> parent, string key)
    {
        if (parent.ByKey.TryGetValue(key, out var found)) return found;
        var added = new Group<T>(key);
        parent.Items.Add(added);
        parent.ByKey.Add(key, added);
        return added;
    }

    /// <summary>One block, rack or domain while grouping: its key and its children in order.</summary>
    private sealed class Group<T>(string key)
    {
        public string Key { get; } = key;

        public List<T> Items { get; } = [];

        /// <summary>The children by key, where they are groups themselves; keeps grouping linear in the node count.</summary>
        public Dictionary<string, T> ByKey { get; } = new(StringComparer.Ordinal);
    }
}
