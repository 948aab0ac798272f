namespace Orchestrator.Kubernetes;

/// <summary>
/// The Kubernetes provider's settings (configuration section <c>Orchestrator:Kubernetes</c>): where job pods go, what
/// they run and mount, and how node labels are read.
/// </summary>
public sealed class KubernetesBackendOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Orchestrator:Kubernetes";

    /// <summary>Namespace of job pods and services.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>Kubeconfig file; null for the in-cluster service account when <c>KUBERNETES_SERVICE_HOST</c> is set, else <c>~/.kube/config</c>.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Image of the built-in worker, run when a job's <c>runtime.image</c> is not set.</summary>
    public string WorkerImage { get; set; } = "orchestrator-worker:latest";

    /// <summary>Image pull policy of job containers (<c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>).</summary>
    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>Service account of job pods; null for the namespace's default.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>An existing PersistentVolumeClaim holding the checkpoint store (takes precedence over <see cref="CheckpointHostPath"/>).</summary>
    public string? CheckpointClaimName { get; set; }

    /// <summary>A directory on every node holding the checkpoint store (a shared file system mounted on the hosts).</summary>
    public string? CheckpointHostPath { get; set; }

    /// <summary>Where the checkpoint volume is mounted in job containers.</summary>
    public string CheckpointMountPath { get; set; } = "/checkpoints";

    /// <summary>Grace period of job pods: long enough for a preempted worker to write its checkpoint.</summary>
    public int TerminationGracePeriodSeconds { get; set; } = 120;

    /// <summary>Seconds an attempt's pods may take to all be running before the gang is torn down and requeued.</summary>
    public int StartTimeoutSeconds { get; set; } = 300;

    /// <summary>Most API requests in flight while launching or deleting an attempt's pods.</summary>
    public int MaxConcurrentRequests { get; set; } = 16;

    /// <summary>
    /// Secret (in the jobs namespace) with the gateway's CA as <c>ca.crt</c>, mounted into built-in worker pods so they
    /// dial a TLS gateway; under mutual TLS also their client certificate (<c>tls.crt</c>, <c>tls.key</c>). Null: plain TCP.
    /// </summary>
    public string? WorkerTlsSecretName { get; set; }

    /// <summary>Whether built-in workers present the Secret's <c>tls.crt</c>/<c>tls.key</c> (the gateway requires client certificates).</summary>
    public bool WorkerTlsClientCertificate { get; set; }

    /// <summary>Port the master rank listens on for rendezvous (<c>MASTER_PORT</c>).</summary>
    public int MasterPort { get; set; } = 29500;

    /// <summary>Where copies of pod logs are kept on the daemon's machine (so a stopped attempt's output stays readable); set from the daemon's data directory.</summary>
    public string LogsDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "orchestrator-pod-logs");

    /// <summary>How GPU shares (<c>resources.gpuFraction</c>) ask for their shared device.</summary>
    public KubernetesGpuSharing GpuSharing { get; set; } = new();

    /// <summary>Node label keys the topology is read from.</summary>
    public KubernetesLabelKeys LabelKeys { get; set; } = new();

    /// <summary>
    /// GPU product label value (GPU feature discovery's <c>nvidia.com/gpu.product</c>) to hardware catalog type,
    /// e.g. <c>NVIDIA-H100-80GB-HBM3</c> to <c>h100-80gb</c>. Nodes with a product not listed here are refused.
    /// </summary>
    public Dictionary<string, string> GpuProducts { get; set; } = new(StringComparer.Ordinal)
    {
        ["NVIDIA-H100-80GB-HBM3"] = "h100-80gb",
        ["NVIDIA-H200"] = "h200-141gb",
        ["NVIDIA-A100-SXM4-80GB"] = "a100-80gb",
        ["NVIDIA-A100-SXM4-40GB"] = "a100-40gb",
    };
}
