using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>
/// Which devices of one cluster are free, with free counts per NVLink domain, node, rack, block and GPU type kept up
/// to date on every change, so a scheduling pass reads capacity without scanning devices. Mutable and not
/// thread-safe: the scheduler grain owns one and changes it from its single thread; <see cref="Clone"/> gives a
/// scratch copy for what-if passes.
/// </summary>
public sealed class FreeCapacityIndex
{
    private readonly TopologyTree _tree;
    private readonly bool[] _free;
    private readonly int[] _nodeFree;
    private readonly int[] _domainFree;
    private readonly int[] _rackFree;
    private readonly int[] _blockFree;
    private readonly int[] _typeFree;

    // Per GPU type, how many NVLink domains have exactly f free devices (index f): a gang that fits in one domain
    // finds its best-fit domain size without scanning every domain.
    private readonly int[][] _domainsByFree;
    private int _freeCount;

    // The ordinals of the call in progress in Apply, kept between calls: marking a gang of thousands busy or free
    // happens several times a scheduling pass, and a list grown afresh each time was a large share of its allocation.
    private readonly List<int> _applying = [];

    /// <summary>Creates an index with every device of <paramref name="topology"/> free.</summary>
    public FreeCapacityIndex(ClusterTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Topology = topology;
        _tree = topology.Tree;
        _free = new bool[_tree.DeviceCount];
        _nodeFree = new int[_tree.Nodes.Length];
        _domainFree = new int[_tree.DomainCount];
        _rackFree = new int[_tree.RackCount];
        _blockFree = new int[_tree.BlockCount];
        _typeFree = new int[_tree.GpuTypes.Length];
        _domainsByFree = new int[_tree.GpuTypes.Length][];
        for (var type = 0; type < _domainsByFree.Length; type++)
        {
            var largest = 0;
            for (var k = 0; k < _tree.DomainCount; k++)
            {
                if (_tree.DomainType[k] == type) largest = Math.Max(largest, _tree.DomainEndDevice(k) - _tree.DomainFirstDevice(k));
            }

            _domainsByFree[type] = new int[largest + 1];
        }

        for (var k = 0; k < _tree.DomainCount; k++)
        {
            _domainsByFree[_tree.DomainType[k]][0]++;
        }

        for (var d = 0; d < _free.Length; d++)
        {
            Change(d, free: true);
        }
    }

    private FreeCapacityIndex(FreeCapacityIndex other)
    {
        Topology = other.Topology;
        _tree = other._tree;
        _free = (bool[])other._free.Clone();
        _nodeFree = (int[])other._nodeFree.Clone();
        _domainFree = (int[])other._domainFree.Clone();
        _rackFree = (int[])other._rackFree.Clone();
        _blockFree = (int[])other._blockFree.Clone();
        _typeFree = (int[])other._typeFree.Clone();
        _domainsByFree = other._domainsByFree.Select(counts => (int[])counts.Clone()).ToArray();
        _freeCount = other._freeCount;
    }

    /// <summary>The cluster this index covers.</summary>
    public ClusterTopology Topology { get; }

    /// <summary>Free devices in the whole cluster.</summary>
    public int FreeCount() => _freeCount;

    /// <summary>Free devices of one GPU type (catalog name, any case); 0 for a type the cluster does not have.</summary>
    public int FreeCount(string gpuType)
    {
        var type = Array.FindIndex(_tree.GpuTypes, t => string.Equals(t, gpuType, StringComparison.OrdinalIgnoreCase));
        return type < 0 ? 0 : _typeFree[type];
    }

    /// <summary>Free devices on one node.</summary>
    /// <exception cref="KeyNotFoundException">No such node.</exception>
    public int FreeInNode(string nodeName) => _nodeFree[Topology.NodeOrdinal(nodeName)];

    /// <summary>Whether a device is free.</summary>
    /// <exception cref="KeyNotFoundException">No such device.</exception>
    public bool IsFree(string deviceId) => _free[Topology.Ordinal(deviceId)];

    /// <summary>
    /// A device's number: its position in the cluster's device order, from 0 to the device count - 1. Callers that
    /// change the same devices again and again (the scheduler's what-if copies) look ids up once and use the numbers.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such device.</exception>
    public int DeviceNumber(string deviceId) => Topology.Ordinal(deviceId);

    /// <summary>Whether the device numbered <paramref name="device"/> (see <see cref="DeviceNumber"/>) is free.</summary>
    public bool IsFreeAt(int device) => _free[device];

    /// <summary>Marks devices busy, all or none: every id must exist and be free, and appear once.</summary>
    /// <exception cref="KeyNotFoundException">An id names no device.</exception>
    /// <exception cref="InvalidOperationException">A device is already busy (a double reservation) or listed twice.</exception>
    public void MarkBusy(IEnumerable<string> deviceIds) => Apply(Numbers(deviceIds), free: false);

    /// <summary>Marks devices free, all or none: every id must exist and be busy, and appear once.</summary>
    /// <exception cref="KeyNotFoundException">An id names no device.</exception>
    /// <exception cref="InvalidOperationException">A device is already free (a double release) or listed twice.</exception>
    public void MarkFree(IEnumerable<string> deviceIds) => Apply(Numbers(deviceIds), free: true);

    /// <summary>As <see cref="MarkBusy"/>, for devices given by number (see <see cref="DeviceNumber"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is not a device's.</exception>
    /// <exception cref="InvalidOperationException">A device is already busy or listed twice.</exception>
    public void MarkBusyAt(IReadOnlyList<int> devices) => Apply(Checked(devices), free: false);

    /// <summary>As <see cref="MarkFree"/>, for devices given by number (see <see cref="DeviceNumber"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is not a device's.</exception>
    /// <exception cref="InvalidOperationException">A device is already free or listed twice.</exception>
    public void MarkFreeAt(IReadOnlyList<int> devices) => Apply(Checked(devices), free: true);

    /// <summary>An independent copy: changes to either do not show in the other.</summary>
    public FreeCapacityIndex Clone() => new(this);

    internal TopologyTree Tree => _tree;

    internal int DomainFree(int domain) => _domainFree[domain];

    internal int NodeFree(int node) => _nodeFree[node];

    internal int RackFree(int rack) => _rackFree[rack];

    internal int BlockFree(int block) => _blockFree[block];

    internal int TypeFree(int type) => _typeFree[type];

    /// <summary>Element f: how many domains of GPU type <paramref name="type"/> have exactly f free devices, for f up to the type's largest domain.</summary>
    internal ReadOnlySpan<int> DomainsByFree(int type) => _domainsByFree[type];

    private IEnumerable<int> Numbers(IEnumerable<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        return deviceIds.Select(Topology.Ordinal);
    }

    private IEnumerable<int> Checked(IReadOnlyList<int> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return devices.Select(d => (uint)d < (uint)_free.Length ? d : throw new ArgumentOutOfRangeException(nameof(devices), d, $"cluster '{Topology.Name}' has devices 0 to {_free.Length - 1}"));
    }

    private void Apply(IEnumerable<int> devices, bool free)
    {
        // Resolve and check everything first so that a bad id leaves the index untouched. Each checked device is
        // flipped as it is seen (a repeat then shows as already flipped) and flipped back if any id is refused: no
        // set of seen ids to build on every call, which large gangs and the scheduler's what-if copies do often.
        var ordinals = _applying;
        ordinals.Clear();
        try
        {
            foreach (var ordinal in devices)
            {
                if (_free[ordinal] == free)
                {
                    var id = _tree.DeviceIds[ordinal];
                    throw new InvalidOperationException(ordinals.Contains(ordinal) ? $"device '{id}' is listed twice" : $"device '{id}' is already {(free ? "free" : "busy")}");
                }

                _free[ordinal] = free;
                ordinals.Add(ordinal);
            }
        }
        catch
        {
            foreach (var ordinal in ordinals)
            {
                _free[ordinal] = !free;
            }

            throw;
        }

        foreach (var ordinal in ordinals)
        {
            Change(ordinal, free);
        }
    }

    private void Change(int device, bool free)
    {
        var delta = free ? 1 : -1;
        _free[device] = free;
        var node = _tree.DeviceNode[device];
        var domain = _tree.NodeDomain[node];
        var rack = _tree.DomainRack[domain];
        _nodeFree[node] += delta;
        var type = _tree.DomainType[domain];
        _domainsByFree[type][_domainFree[domain]]--;
        _domainFree[domain] += delta;
        _domainsByFree[type][_domainFree[domain]]++;
        _rackFree[rack] += delta;
        _blockFree[_tree.RackBlock[rack]] += delta;
        _typeFree[type] += delta;
        _freeCount += delta;
    }
}
