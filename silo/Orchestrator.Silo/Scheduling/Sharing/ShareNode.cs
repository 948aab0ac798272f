using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// One node as fractional packing sees it: what is left of its CPU, memory and each device (in thousandths; 1000 is
/// a free device, 0 one that is held whole or out of service). Mutable: a <see cref="ShareCluster"/> owns it.
/// </summary>
internal sealed class ShareNode
{
    private string? _signature;

    public ShareNode(string name, string? gpuType, int cpuMilli, long memoryMib, IReadOnlyList<string> deviceIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(deviceIds);
        if (cpuMilli < 0 || memoryMib < 0) throw new ArgumentException($"node {name}: CPU and memory must not be negative");
        Name = name;
        GpuType = gpuType;
        CpuMilliCapacity = CpuMilliFree = cpuMilli;
        MemoryMibCapacity = MemoryMibFree = memoryMib;
        DeviceIds = deviceIds;
        GpuMilliFree = Enumerable.Repeat(GpuShareRules.Milli, deviceIds.Count).ToArray();
    }

    private ShareNode(ShareNode other)
    {
        Name = other.Name;
        GpuType = other.GpuType;
        CpuMilliCapacity = other.CpuMilliCapacity;
        CpuMilliFree = other.CpuMilliFree;
        MemoryMibCapacity = other.MemoryMibCapacity;
        MemoryMibFree = other.MemoryMibFree;
        DeviceIds = other.DeviceIds;
        GpuMilliFree = (int[])other.GpuMilliFree.Clone();
        _signature = other._signature;
    }

    public string Name { get; }

    public string? GpuType { get; }

    public int CpuMilliCapacity { get; }

    public int CpuMilliFree { get; private set; }

    public long MemoryMibCapacity { get; }

    public long MemoryMibFree { get; private set; }

    public IReadOnlyList<string> DeviceIds { get; }

    /// <summary>Free thousandths of each device, by index on the node. Read-only to callers.</summary>
    public IReadOnlyList<int> GpuFree => GpuMilliFree;

    public int GpuCount => GpuMilliFree.Length;

    public long GpuMilliFreeTotal => GpuMilliFree.Sum(f => (long)f);

    /// <summary>
    /// The node's state with device order ignored (type, free CPU, free shares sorted): nodes with equal signatures
    /// score alike under every policy that looks only at free resources, which lets FGD reuse work across them.
    /// </summary>
    public string Signature => _signature ??= $"{GpuType}|{CpuMilliFree}|{string.Join(',', GpuMilliFree.Order())}";

    private int[] GpuMilliFree { get; }

    /// <summary>Takes <paramref name="task"/>'s resources on the given devices; throws if any does not have them.</summary>
    public void Take(ShareTask task, IReadOnlyList<int> gpus)
    {
        if (!ShareCandidates.Admits(this, task)) throw new InvalidOperationException($"node {Name} cannot hold {task}");
        if (gpus.Count != task.GpuCount || gpus.Distinct().Count() != gpus.Count)
            throw new InvalidOperationException($"task {task} needs {task.GpuCount} distinct devices, got [{string.Join(',', gpus)}]");
        foreach (var gpu in gpus)
        {
            if (GpuMilliFree[gpu] < task.GpuMilli)
                throw new InvalidOperationException($"device {DeviceIds[gpu]} has {GpuMilliFree[gpu]} thousandths free, {task} needs {task.GpuMilli}");
        }

        foreach (var gpu in gpus) GpuMilliFree[gpu] -= task.GpuMilli;
        CpuMilliFree -= task.CpuMilli;
        MemoryMibFree -= task.MemoryMib;
        _signature = null;
    }

    /// <summary>Gives back what <see cref="Take"/> took; throws if that would leave more than the node has.</summary>
    public void Give(ShareTask task, IReadOnlyList<int> gpus)
    {
        foreach (var gpu in gpus)
        {
            if (GpuMilliFree[gpu] + task.GpuMilli > GpuShareRules.Milli)
                throw new InvalidOperationException($"device {DeviceIds[gpu]} would have more than a whole device free; {task} did not hold it");
        }

        if (CpuMilliFree + task.CpuMilli > CpuMilliCapacity || MemoryMibFree + task.MemoryMib > MemoryMibCapacity)
            throw new InvalidOperationException($"node {Name} would have more CPU or memory free than it has; {task} did not hold it");
        foreach (var gpu in gpus) GpuMilliFree[gpu] += task.GpuMilli;
        CpuMilliFree += task.CpuMilli;
        MemoryMibFree += task.MemoryMib;
        _signature = null;
    }

    /// <summary>Sets a device's free share directly (the scheduler's view: held whole or out of service is 0).</summary>
    public void SetFree(int gpu, int milli)
    {
        if (milli is < 0 or > GpuShareRules.Milli) throw new ArgumentOutOfRangeException(nameof(milli), milli, "a device has 0 to 1000 thousandths free");
        GpuMilliFree[gpu] = milli;
        _signature = null;
    }

    public ShareNode Clone() => new(this);
}
