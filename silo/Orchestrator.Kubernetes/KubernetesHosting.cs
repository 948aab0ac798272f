using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchestrator.Kubernetes.Inventory;
using Orchestrator.Kubernetes.Pods;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Kubernetes;

/// <summary>Adds the Kubernetes provider to a silo: the pod backend and the inventory watched from the cluster's nodes.</summary>
public static class KubernetesHosting
{
    /// <summary>
    /// Registers the pod backend and the live node inventory for a silo whose <see cref="OrchestratorSiloOptions.Backend"/>
    /// is <c>kubernetes</c>. Settings come from the <c>Orchestrator:Kubernetes</c> configuration section, then
    /// <paramref name="configure"/> (the CLI's flags). An <see cref="IKubernetes"/> registered before this call is used
    /// as is; otherwise one is built from the kubeconfig option, the in-cluster service account, or <c>~/.kube/config</c>.
    /// </summary>
    public static ISiloBuilder AddKubernetes(this ISiloBuilder silo, OrchestratorSiloOptions siloOptions, Action<KubernetesBackendOptions>? configure = null)
    {
        var services = silo.Services;
        services.AddOptions<KubernetesBackendOptions>()
            .Configure(o => o.LogsDirectory = Path.Combine(siloOptions.DataDirectory, "logs"))
            .BindConfiguration(KubernetesBackendOptions.Section)
            .Configure(o => configure?.Invoke(o))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubernetesBackendOptions>, KubernetesOptionsValidation>();
        services.TryAddSingleton<IKubernetes>(sp => new k8s.Kubernetes(ClientConfiguration(sp.GetRequiredService<IOptions<KubernetesBackendOptions>>().Value)));
        services.AddSingleton<PodBackend>();
        services.AddSingleton<IExecutionBackend>(sp => sp.GetRequiredService<PodBackend>());
        services.AddSingleton<INodeLossObserver>(sp => sp.GetRequiredService<PodBackend>());
        services.AddHostedService(sp => sp.GetRequiredService<PodBackend>());
        services.AddSingleton<KubernetesInventory>();
        services.AddSingleton<IInventorySource>(sp => sp.GetRequiredService<KubernetesInventory>());
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesInventory>());
        return silo;
    }

    private static KubernetesClientConfiguration ClientConfiguration(KubernetesBackendOptions options) =>
        options.KubeconfigPath is { Length: > 0 } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
}
