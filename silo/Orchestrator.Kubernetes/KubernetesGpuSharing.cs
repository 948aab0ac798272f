namespace Orchestrator.Kubernetes;

/// <summary>
/// How a GPU share's pod asks for its device (configuration section <c>Orchestrator:Kubernetes:GpuSharing</c>): the
/// extended resource the NVIDIA device plugin advertises for shared GPUs (with <c>renameByDefault: true</c> its
/// replicas are <c>nvidia.com/gpu.shared</c>, so they never mix with the whole <c>nvidia.com/gpu</c> devices gangs
/// ask for) and the plugin's sharing strategy.
/// </summary>
public sealed class KubernetesGpuSharing
{
    /// <summary>Extended resource a share's pod asks one of.</summary>
    public string Resource { get; set; } = "nvidia.com/gpu.shared";

    /// <summary>The device plugin's sharing strategy; with <see cref="GpuSharingStrategy.Mps"/> a share's fraction is
    /// also its MPS thread percentage.</summary>
    public GpuSharingStrategy Strategy { get; set; } = GpuSharingStrategy.Mps;
}
