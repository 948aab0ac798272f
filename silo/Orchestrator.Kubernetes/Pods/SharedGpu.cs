using System.Globalization;
using k8s.Models;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// A GPU share's pod: it asks for one replica of the device plugin's shared resource (never <c>nvidia.com/gpu</c>,
/// which would take a device exclusively that the scheduler packs several shares onto), and is pinned to the device
/// the scheduler chose by <c>NVIDIA_VISIBLE_DEVICES</c> (set after the device plugin's own value, so the container
/// runtime exposes that device; the replica keeps the kubelet's count of shares per node). The node is pinned by
/// the pod's node affinity, as for whole devices. The workload is told its fraction (<see cref="GpuShareEnvironment"/>).
/// </summary>
internal sealed class SharedGpu
{
    public const string VisibleDevicesVariable = "NVIDIA_VISIBLE_DEVICES";
    private readonly TrainingJobSpec _spec;
    private readonly KubernetesGpuSharing _sharing;
    private readonly string _node;
    private readonly int _index;

    private SharedGpu(TrainingJobSpec spec, KubernetesGpuSharing sharing, string node, int index)
    {
        _spec = spec;
        _sharing = sharing;
        _node = node;
        _index = index;
    }

    /// <summary>The share of the assignment, or null when it runs on whole devices.</summary>
    public static SharedGpu? Of(WorkerAssignment assignment, KubernetesGpuSharing sharing)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (assignment.Spec.Resources.GpuMilli is null) return null;
        if (assignment.Ranks.Count != 1)
            throw new ArgumentException($"job {assignment.JobId} asks for a GPU share but was placed with {assignment.Ranks.Count} ranks on {assignment.Node}; a share runs one rank", nameof(assignment));
        var device = assignment.Ranks[0].DeviceId;
        var slash = device.LastIndexOf('/');
        if (slash < 0 || !int.TryParse(device.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw new ArgumentException($"job {assignment.JobId}: device id '{device}' is not node/index, so the share cannot be pinned to its device", nameof(assignment));
        return new SharedGpu(assignment.Spec, sharing, assignment.Node, index);
    }

    public Dictionary<string, ResourceQuantity> Limits => new() { [_sharing.Resource] = new ResourceQuantity("1") };

    /// <summary>The pinning variable, and with <paramref name="withFraction"/> the share's own (a user's program gets
    /// those from its trainer environment already).</summary>
    public IEnumerable<V1EnvVar> Environment(bool withFraction)
    {
        var variables = withFraction ? GpuShareEnvironment.For(_spec, _sharing.Strategy == GpuSharingStrategy.Mps) : new Dictionary<string, string>();
        return variables.Append(KeyValuePair.Create(VisibleDevicesVariable, _index.ToString(CultureInfo.InvariantCulture)))
            .Select(v => new V1EnvVar { Name = v.Key, Value = v.Value });
    }

    public string Placement =>
        $"{_spec.Resources.GpuFraction?.ToString("0.###", CultureInfo.InvariantCulture)} of device {_index} on {_node}: one {_sharing.Resource} ({_sharing.Strategy}), " +
        $"pinned by {VisibleDevicesVariable}={_index}";
}
