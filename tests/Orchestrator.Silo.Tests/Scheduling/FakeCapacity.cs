using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>
/// A small stand-in for the topology branch's index: nodes of equal size, device ids "nN/G", an optional device type
/// per node. Placement keeps each tensor-parallel group inside one node and fills the fullest node that still fits
/// the group first (best fit), so fragmentation matters as it does on real hardware.
/// </summary>
internal sealed class FakeCapacity : ICapacity
{
    private readonly int _gpusPerNode;
    private readonly string[] _nodeTypes;
    private readonly HashSet<string> _free;
    private readonly HashSet<string> _known;

    public FakeCapacity(int nodes, int gpusPerNode, string gpuType = "h100-80gb")
        : this(gpusPerNode, Enumerable.Repeat(gpuType, nodes).ToArray(), null)
    {
    }

    public FakeCapacity(int gpusPerNode, string[] nodeTypes)
        : this(gpusPerNode, nodeTypes, null)
    {
    }

    private FakeCapacity(int gpusPerNode, string[] nodeTypes, HashSet<string>? free)
    {
        _gpusPerNode = gpusPerNode;
        _nodeTypes = nodeTypes;
        _known = Enumerable.Range(0, nodeTypes.Length).SelectMany(n => Enumerable.Range(0, gpusPerNode).Select(g => Id(n, g))).ToHashSet();
        _free = free is null ? new HashSet<string>(_known) : new HashSet<string>(free);
    }

    public int FreeCount => _free.Count;

    public int TotalCount => _known.Count;

    public IReadOnlySet<string> FreeDevices => _free;

    public static string Id(int node, int gpu) => $"n{node}/{gpu}";

    public bool IsFree(string deviceId) => _free.Contains(deviceId);

    public int DeviceCount => _nodeTypes.Length * _gpusPerNode;

    public IReadOnlyList<int> Locate(IReadOnlyList<string> deviceIds) => deviceIds.Select(id =>
    {
        if (!_known.Contains(id)) throw new KeyNotFoundException($"unknown device {id}");
        var slash = id.IndexOf('/');
        return int.Parse(id[1..slash]) * _gpusPerNode + int.Parse(id[(slash + 1)..]);
    }).ToList();

    public bool IsFreeAt(int device) => _free.Contains(Id(device / _gpusPerNode, device % _gpusPerNode));

    public CapacityPlacement TryPlace(PlacementDemand demand)
    {
        var tensor = demand.Layout.Tensor;
        if (tensor > _gpusPerNode)
        {
            return CapacityPlacement.Failed($"tensor group of {tensor} is larger than a node ({_gpusPerNode})");
        }

        var usable = Enumerable.Range(0, _nodeTypes.Length)
            .Where(n => demand.GpuType is null || _nodeTypes[n] == demand.GpuType)
            .ToDictionary(n => n, n => Enumerable.Range(0, _gpusPerNode).Select(g => Id(n, g))
                .Where(d => _free.Contains(d) && !demand.AvoidDevices.Contains(d)).ToList());
        var devices = new List<string>();
        for (var group = 0; group < demand.Layout.WorldSize / tensor; group++)
        {
            var node = usable.Where(kv => kv.Value.Count >= tensor).OrderBy(kv => kv.Value.Count).ThenBy(kv => kv.Key).Select(kv => (int?)kv.Key).FirstOrDefault();
            if (node is null)
            {
                return CapacityPlacement.Failed($"no node has {tensor} free devices for tensor group {group}");
            }

            devices.AddRange(usable[node.Value].Take(tensor));
            usable[node.Value].RemoveRange(0, tensor);
        }

        return CapacityPlacement.Placed(devices);
    }

    public string? WhyNotPlaced(PlacementDemand demand) => TryPlace(demand).FailureReason;

    public void MarkBusy(IEnumerable<string> deviceIds)
    {
        foreach (var id in deviceIds)
        {
            if (!_known.Contains(id)) throw new ArgumentException($"unknown device {id}");
            if (!_free.Remove(id)) throw new InvalidOperationException($"device {id} is already busy");
        }
    }

    public void MarkFree(IEnumerable<string> deviceIds)
    {
        foreach (var id in deviceIds)
        {
            if (!_known.Contains(id)) throw new ArgumentException($"unknown device {id}");
            _free.Add(id);
        }
    }

    public ICapacity Clone() => new FakeCapacity(_gpusPerNode, _nodeTypes, _free);
}
