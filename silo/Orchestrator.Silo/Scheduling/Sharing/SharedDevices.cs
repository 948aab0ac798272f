using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>
/// The scheduler's shared devices, as one pass sees them: every node's devices, the thousandths each holds for
/// fractional tenants, and which tenanted devices are out of service. A device with no tenant is offered for sharing
/// only while the pass's whole-device capacity lists it free (so a device held whole is never shared), and placing
/// the first share on it takes it out of that capacity (so a shared device is never handed out whole) until its last
/// tenant leaves.
/// </summary>
internal sealed class SharedDevices
{
    private readonly IReadOnlyList<ShareNodeDevices> _nodes;
    private readonly Dictionary<string, int> _tenantMilli;
    private readonly IReadOnlySet<string> _outOfService;

    /// <param name="nodes">Every node's devices, in the order policies consider them.</param>
    /// <param name="tenants">The fractional jobs holding shares, one device each, with the thousandths each holds
    /// (<see cref="RunningJob.ChargedMilli"/>) and the queue charged for it.</param>
    /// <param name="outOfService">Tenanted devices no new share may go on (failed or draining).</param>
    /// <param name="policy">How shares are packed.</param>
    /// <param name="workload">The task shapes FGD measures fragmentation against.</param>
    public SharedDevices(IReadOnlyList<ShareNodeDevices> nodes, IReadOnlyList<RunningJob> tenants,
        IReadOnlySet<string> outOfService, SharePolicyKind policy, TargetWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(tenants);
        _tenantMilli = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            if (tenant.DeviceIds.Count != 1 || tenant.ChargedMilli is <= 0 or >= GpuShareRules.Milli)
                throw new ArgumentException($"tenant {tenant.JobId} holds {tenant.ChargedMilli} thousandths of {tenant.DeviceIds.Count} devices; a share is 1 to 999 of one device", nameof(tenants));
            _tenantMilli[tenant.DeviceIds[0]] = TenantMilli(tenant.DeviceIds[0]) + tenant.ChargedMilli;
        }

        foreach (var (device, milli) in _tenantMilli)
        {
            if (milli > GpuShareRules.Milli)
                throw new ArgumentException($"device {device}: tenants hold {milli} thousandths; shares add up to at most 1000", nameof(tenants));
        }

        _nodes = nodes;
        Tenants = tenants;
        _outOfService = outOfService;
        Policy = policy;
        Workload = workload;
    }

    private SharedDevices(SharedDevices source)
    {
        _nodes = source._nodes;
        _tenantMilli = new Dictionary<string, int>(source._tenantMilli, StringComparer.Ordinal);
        Tenants = source.Tenants;
        _outOfService = source._outOfService;
        Policy = source.Policy;
        Workload = source.Workload;
    }

    /// <summary>The tenants at the start of the pass (charged to their queues' quotas).</summary>
    public IReadOnlyList<RunningJob> Tenants { get; }

    /// <summary>Prefix of the stand-in running job that holds a shared device for its tenants (job ids cannot contain ':').</summary>
    public const string HolderPrefix = "shared-device:";

    public SharePolicyKind Policy { get; }

    public TargetWorkload Workload { get; }

    /// <summary>Thousandths held by tenants on <paramref name="deviceId"/> (0 for none).</summary>
    public int TenantMilli(string deviceId) => _tenantMilli.GetValueOrDefault(deviceId);

    /// <summary>
    /// Places a share of <paramref name="milli"/> thousandths for <paramref name="job"/> and records it; the caller
    /// takes a previously untenanted device out of its whole-device capacity. Devices the job must avoid, and free
    /// devices in <paramref name="reserved"/> (held for a blocked head), are never offered; devices it prefers to
    /// avoid only when nothing else has room.
    /// </summary>
    public ShareStart Place(WaitingJob job, int milli, ICapacity free, IReadOnlySet<string>? reserved)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(free);
        var task = ShareTask.Fraction(milli, job.Demand.GpuType);
        var typed = _nodes.Where(n => task.GpuType is null || n.GpuType == task.GpuType).ToList();
        if (typed.Count == 0 || typed.All(n => n.DeviceIds.Count == 0))
            return new ShareStart(null, WaitReason.ExceedsCluster, $"no {task.GpuType ?? "GPU"} devices to share");
        var chosen = Choose(typed, task, free, job, reserved, job.PreferToAvoid) ?? Choose(typed, task, free, job, reserved, null);
        if (chosen is null)
            return new ShareStart(null, WaitReason.InsufficientCapacity,
                $"no device has {milli / 1000.0:0.###} of a GPU free (shared devices: {_tenantMilli.Count}, the roomiest with {Roomiest():0.###} free)");
        _tenantMilli[chosen] = TenantMilli(chosen) + milli;
        return new ShareStart(chosen, WaitReason.InsufficientCapacity, $"shares {chosen} ({TenantMilli(chosen) / 1000.0:0.###} of it now held)");
    }

    /// <summary>
    /// The stand-in that holds <paramref name="deviceId"/> for its tenants in a pass, with one more tenant: never
    /// preempted (ending one tenant would not free the device), expected to end when the last tenant does, and charged
    /// to no queue (its tenants are).
    /// </summary>
    public static RunningJob Holder(string deviceId, RunningJob? current, int priority, DateTimeOffset startedAt, DateTimeOffset? expectedEnd) =>
        current is null
            ? new RunningJob(HolderPrefix + deviceId, priority, [deviceId], startedAt, expectedEnd, Preemptible: false, ChargedMilli: 0)
            : current with
            {
                Priority = Math.Max(current.Priority, priority),
                ExpectedEnd = current.ExpectedEnd is { } end && expectedEnd is { } other ? (end > other ? end : other) : null,
            };

    public SharedDevices Clone() => new(this);

    private string? Choose(List<ShareNodeDevices> typed, ShareTask task, ICapacity free, WaitingJob job,
        IReadOnlySet<string>? reserved, IReadOnlySet<string>? preferToAvoid)
    {
        bool Excluded(string id) => job.AvoidDevices?.Contains(id) == true || preferToAvoid?.Contains(id) == true;
        var views = typed.Select(n =>
        {
            var node = new ShareNode(n.Name, n.GpuType, 0, 0, n.DeviceIds);
            for (var i = 0; i < n.DeviceIds.Count; i++)
            {
                var id = n.DeviceIds[i];
                var tenants = TenantMilli(id);
                var offered = !Excluded(id) && (tenants > 0
                    ? !_outOfService.Contains(id)
                    : free.IsFree(id) && reserved?.Contains(id) != true);
                node.SetFree(i, offered ? GpuShareRules.Milli - tenants : 0);
            }

            return node;
        }).ToList();
        var placement = SharePolicies.Create(Policy, Workload).Choose(views, task);
        return placement is null ? null : typed[placement.Node].DeviceIds[placement.Gpus[0]];
    }

    private double Roomiest() =>
        _tenantMilli.Where(kv => !_outOfService.Contains(kv.Key)).Select(kv => (GpuShareRules.Milli - kv.Value) / 1000.0).DefaultIfEmpty(0).Max();
}
