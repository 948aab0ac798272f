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
/// (<see cref="SharedDevices.Holder"/>), which keeps the pass's rule of one holder per device.
/// </summary>
internal sealed record SharingView(SharedDevices Devices, IReadOnlyList<RunningJob> Holders)
{
    public static bool IsShare(QueuedJob job) => job.Spec.Resources.GpuMilli is not null;

    public static SharingView Of(ClusterTopology topology, IEnumerable<AllocationRecord> allocations, IReadOnlyDictionary<string, GpuHealth> health,
        IEnumerable<QueuedJob> waiting, SharePolicyKind policy)
    {
        var held = allocations.ToList();
        var tenants = held.Where(a => IsShare(a.Job)).SelectMany(a => a.DeviceIds.Select(d => (Device: d, Allocation: a)))
            .GroupBy(x => x.Device, StringComparer.Ordinal).ToList();
        string TypeOf(string device) => topology.TryGetDevice(device, out var found) ? found.GpuType : "unknown";
        // Each tenant is charged to its queue for its fraction; the stand-in holder to none.
        var charged = tenants.SelectMany(g => g.Select(x => new RunningJob(x.Allocation.Job.JobId, x.Allocation.Job.Spec.Metadata.Priority, [g.Key],
                x.Allocation.StartedAt, x.Allocation.ExpectedEnd, Preemptible: false, Queue: x.Allocation.Job.Spec.Metadata.Queue,
                GpuType: TypeOf(g.Key), ChargedMilli: x.Allocation.Job.Spec.Resources.GpuMilli!.Value)))
            .ToList();
        var outOfService = tenants.Select(g => g.Key)
            .Where(d => health.GetValueOrDefault(d, GpuHealth.Healthy) is not (GpuHealth.Healthy or GpuHealth.Suspect))
            .ToHashSet(StringComparer.Ordinal);
        var nodes = topology.Devices.GroupBy(d => d.Node, StringComparer.Ordinal)
            .Select(g => new ShareNodeDevices(g.Key, g.First().GpuType, g.OrderBy(d => d.Index).Select(d => d.Id).ToList()))
            .ToList();
        var perNode = nodes.Select(n => n.DeviceIds.Count).DefaultIfEmpty(1).Max();
        var workload = TargetWorkload.From(held.Select(a => a.Job).Concat(waiting).Select(j => Shape(j, perNode)));
        var holders = tenants.Select(g => g.Aggregate((RunningJob?)null, (holder, x) =>
                SharedDevices.Holder(g.Key, holder, x.Allocation.Job.Spec.Metadata.Priority, x.Allocation.StartedAt, x.Allocation.ExpectedEnd))!)
            // With queue quotas every running job names its device type (the holder's is charged nothing).
            .Select(h => h with { GpuType = TypeOf(h.DeviceIds[0]) })
            .ToList();
        return new SharingView(new SharedDevices(nodes, charged, outOfService, policy, workload), holders);
    }

    /// <summary>A job's shape for FGD's target workload: a share of one device, or whole devices (a gang counted by what one node can hold of it).</summary>
    private static ShareTask Shape(QueuedJob job, int perNode) => job.Spec.Resources.GpuMilli is { } milli
        ? ShareTask.Fraction(milli, job.Spec.Resources.GpuType)
        : new ShareTask(0, 0, Math.Min(job.Spec.Resources.Gpus, perNode), 1000, job.Spec.Resources.GpuType);
}
