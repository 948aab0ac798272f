namespace Orchestrator.Kubernetes;

/// <summary>Which node labels say where a node sits (defaults: Kueue-style topology labels and GPU feature discovery's).</summary>
public sealed class KubernetesLabelKeys
{
    /// <summary>Block (spine) label.</summary>
    public string Block { get; set; } = "cloud.provider.com/topology-block";

    /// <summary>Rack (leaf switch) label.</summary>
    public string Rack { get; set; } = "cloud.provider.com/topology-rack";

    /// <summary>Host label; the node name when absent.</summary>
    public string Host { get; set; } = "kubernetes.io/hostname";

    /// <summary>NVLink domain label (the clique id of NVL72-class systems); the host when absent.</summary>
    public string NvlinkDomain { get; set; } = "nvidia.com/gpu.clique";

    /// <summary>GPU product label set by GPU feature discovery.</summary>
    public string GpuProduct { get; set; } = "nvidia.com/gpu.product";
}
