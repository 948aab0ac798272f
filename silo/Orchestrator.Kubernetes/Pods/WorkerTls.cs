using k8s.Models;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// How a built-in worker pod reaches a TLS gateway: the Secret named by <see cref="KubernetesBackendOptions.WorkerTlsSecretName"/>
/// mounted read-only, and the <c>ORCH_TLS*</c> variables the worker's client reads. A user's own program
/// (<c>runtime.command</c>) never dials the gateway and gets neither.
/// </summary>
internal static class WorkerTls
{
    public const string MountPath = "/etc/orchestrator/tls";
    private const string VolumeName = "orchestrator-tls";

    public static IEnumerable<V1EnvVar> Environment(KubernetesBackendOptions options)
    {
        if (options.WorkerTlsSecretName is not { Length: > 0 }) yield break;
        yield return new V1EnvVar { Name = TransportEnvironment.Enabled, Value = "true" };
        yield return new V1EnvVar { Name = TransportEnvironment.Ca, Value = $"{MountPath}/ca.crt" };
        if (!options.WorkerTlsClientCertificate) yield break;
        yield return new V1EnvVar { Name = TransportEnvironment.Certificate, Value = $"{MountPath}/tls.crt" };
        yield return new V1EnvVar { Name = TransportEnvironment.Key, Value = $"{MountPath}/tls.key" };
    }

    public static V1VolumeMount? Mount(KubernetesBackendOptions options) =>
        options.WorkerTlsSecretName is { Length: > 0 } ? new V1VolumeMount { Name = VolumeName, MountPath = MountPath, ReadOnlyProperty = true } : null;

    public static V1Volume? Volume(KubernetesBackendOptions options) =>
        options.WorkerTlsSecretName is { Length: > 0 } name
            ? new V1Volume { Name = VolumeName, Secret = new V1SecretVolumeSource { SecretName = name, DefaultMode = Convert.ToInt32("0440", 8) } }
            : null;
}
