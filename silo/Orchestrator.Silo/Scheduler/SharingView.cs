using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduler's persisted allocations turned into what a pass needs for GPU sharing: the shared devices with the
/// thousandths their tenants hold (from each tenant's <c>resources.gpuFraction</c>, so it survives reactivation with
/// the allocations), and one stand-in running job per shared device in place of its tenants
/// (<see cref="SharedDevices.Holder"/>), which keeps the pass's rule of one holder per device. The simulator builds
/// the same view from its own jobs through <see cref="Of(ClusterTopology, IReadOnlyList{RunningJob}, IReadOnlySet{string}, IEnumerable{ShareTask}, SharePolicyKind)"/>.
/// </summary>
internal sealed record SharingView(SharedDevices Devices, IReadOnlyList<RunningJob> Holders)
{
    public static bool IsShare(QueuedJob job) => job.Spec.Resources.GpuMilli is not null;

    public static SharingView Of(ClusterTopology topology, IEnumerable<AllocationRecord> allocations, IReadOnlyDictionary<string, GpuHealth> health,
        IEnumerable<QueuedJob> waiting, SharePolicyKind policy)
    {
        var held = allocations.ToList();
        // Each tenant is charged to its queue for its fraction; the stand-in holder to none.
        var tenants = held.Where(a => IsShare(a.Job)).SelectMany(a => a.DeviceIds.Select(d => new RunningJob(a.Job.JobId, a.Job.Spec.Metadata.Priority, [d],
                a.StartedAt, a.ExpectedEnd, Preemptible: false, Queue: a.Job.Spec.Metadata.Queue, GpuType: TypeOf(topology, d),
                ChargedMilli: a.Job.Spec.Resources.GpuMilli!.Value)))
            .ToList();
        var outOfService = tenants.SelectMany(t => t.DeviceIds)
            .Where(d => health.GetValueOrDefault(d, GpuHealth.Healthy) is not (GpuHealth.Healthy or GpuHealth.Suspect))
            .ToHashSet(StringComparer.Ordinal);
        var perNode = LargestNode(topology);
        var shapes = held.Select(a => a.Job).Concat(waiting).Select(j => Shape(j.Spec.Resources.Gpus, j.Spec.Resources.GpuMilli, j.Spec.Resources.GpuType, perNode));
        return Of(topology, tenants, outOfService, shapes, policy);
    }

    /// <param name="topology">Every device, by node.</param>
    /// <param name="tenants">The shares held, one device each (<see cref="RunningJob.ChargedMilli"/> its thousandths).</param>
    /// <param name="outOfService">Tenanted devices no new share may go on.</param>
    /// <param name="shapes">The shapes of the jobs held and waiting: FGD's target workload.</param>
    /// <param name="policy">How shares are packed.</param>
    public static SharingView Of(ClusterTopology topology, IReadOnlyList<RunningJob> tenants, IReadOnlySet<string> outOfService,
        IEnumerable<ShareTask> shapes, SharePolicyKind policy)
    {
        var nodes = topology.Devices.GroupBy(d => d.Node, StringComparer.Ordinal)
            .Select(g => new ShareNodeDevices(g.Key, g.First().GpuType, g.OrderBy(d => d.Index).Select(d => d.Id).ToList()))
            .ToList();
        var holders = tenants.GroupBy(t => t.DeviceIds[0], StringComparer.Ordinal)
            .Select(g => g.Aggregate((RunningJob?)null, (holder, t) => SharedDevices.Holder(g.Key, holder, t.Priority, t.StartedAt, t.ExpectedEnd))!
                // With queue quotas every running job names its device type (the holder's is charged nothing).
                with { GpuType = TypeOf(topology, g.Key) })
            .ToList();
        return new SharingView(new SharedDevices(nodes, tenants, outOfService, policy, TargetWorkload.Typical(shapes, TargetWorkload.TypicalCoverage)), holders);
    }

    /// <summary>A job's shape for FGD's target workload: a share of one device, or whole devices (a gang counted by what one node can hold of it).</summary>
    public static ShareTask Shape(int gpus, int? gpuMilli, string? gpuType, int perNode) => gpuMilli is { } milli
        ? ShareTask.Fraction(milli, gpuType)
        : new ShareTask(0, 0, Math.Min(gpus, perNode), 1000, gpuType);

    /// <summary>The most devices one node has.</summary>
    public static int LargestNode(ClusterTopology topology) => topology.Nodes.Select(n => n.GpuCount).DefaultIfEmpty(1).Max();

    private static string TypeOf(ClusterTopology topology, string device) => topology.TryGetDevice(device, out var found) ? found.GpuType : "unknown";
}
