using k8s.Models;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Kubernetes.Pods;
using Orchestrator.Planning.Hardware;

namespace Orchestrator.Kubernetes.Inventory;

/// <summary>
/// Reads one Kubernetes node as an inventory node: devices from <c>status.allocatable["nvidia.com/gpu"]</c>, type from
/// the GPU product label through <see cref="KubernetesBackendOptions.GpuProducts"/>, place from the topology labels,
/// and whether it may take work (Ready, not cordoned, no NoSchedule/NoExecute taint, known product).
/// </summary>
internal static class NodeMapping
{
    public const string GpuResource = "nvidia.com/gpu";

    public static NodeInfo ToNodeInfo(V1Node node, KubernetesBackendOptions options)
    {
        var name = node.Metadata.Name;
        var labels = node.Metadata.Labels;
        var keys = options.LabelKeys;
        var host = PodNames.Get(labels, keys.Host) ?? name;
        var gpus = GpuCount(node);
        var product = PodNames.Get(labels, keys.GpuProduct);
        var problem = Unavailability(node);
        string gpuType;
        if (product is not null && options.GpuProducts.TryGetValue(product, out var mapped) && HardwareCatalog.TryGet(mapped, out _))
        {
            gpuType = mapped;
        }
        else
        {
            gpuType = "unknown";
            problem = product is null
                ? $"refused: no {keys.GpuProduct} label"
                : $"refused: GPU product '{product}' ({keys.GpuProduct}) is not mapped to a catalog type in Orchestrator:Kubernetes:GpuProducts";
        }

        if (gpus == 0 && problem is null) problem = $"no allocatable {GpuResource}";
        var status = problem ?? "Ready";
        var taints = Taints(node);
        if (taints.Length > 0) status += $"; taints: {taints}";
        return new NodeInfo(name, PodNames.Get(labels, keys.Block) ?? "default", PodNames.Get(labels, keys.Rack) ?? "default",
            PodNames.Get(labels, keys.NvlinkDomain) ?? host, gpuType, gpus, problem is null, status);
    }

    /// <summary>Why the node may not take work (NotReady, cordoned, a NoSchedule/NoExecute taint), or null when it may.</summary>
    public static string? Unavailability(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null || ready.Status != "True") return ready?.Status == "Unknown" ? "NotReady (node lost: kubelet stopped reporting)" : "NotReady";
        if (node.Spec?.Unschedulable == true) return "cordoned (spec.unschedulable)";
        var blocking = node.Spec?.Taints?.FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute");
        return blocking is null ? null : $"tainted {Describe(blocking)}";
    }

    public static int GpuCount(V1Node node) =>
        node.Status?.Allocatable is { } allocatable && allocatable.TryGetValue(GpuResource, out var quantity) ? (int)quantity.ToInt64() : 0;

    private static string Taints(V1Node node) => string.Join(", ", node.Spec?.Taints?.Select(Describe) ?? []);

    private static string Describe(V1Taint taint) => $"{taint.Key}{(taint.Value is { Length: > 0 } v ? "=" + v : "")}:{taint.Effect}";
}
