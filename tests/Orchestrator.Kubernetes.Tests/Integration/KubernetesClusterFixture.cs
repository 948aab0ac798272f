using System.Globalization;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Scheduler;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>
/// A fake API server on loopback with two nodes of eight H100s, and one Orleans test-cluster silo whose backend is
/// the Kubernetes provider talking to it through the real KubernetesClient. Heartbeat timeouts are long (60 s), so an
/// attempt that ends quickly ended through the pod or node watch, not through missed heartbeats.
/// </summary>
public class KubernetesClusterFixture : IAsyncLifetime
{
    internal FakeApiServer Server { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Seconds an attempt's pods may take to run before the gang is torn down.</summary>
    protected virtual int StartTimeoutSeconds => 60;

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync();
        Server.Kubelet = Kubelets.RunAsync;
        foreach (var name in new[] { "gpu-a", "gpu-b" }) Server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu(name));
        var builder = new TestClusterBuilder(1);
        builder.Properties["KubeHost"] = Server.Address.ToString();
        builder.Properties["DataDirectory"] = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"k8s-{Guid.NewGuid():N}");
        builder.Properties["StartTimeout"] = StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var options = new OrchestratorSiloOptions { DataDirectory = silo.Configuration["DataDirectory"]!, Backend = "kubernetes", MetricsPort = 0 };
            silo.AddOrchestrator(options);
            var host = silo.Configuration["KubeHost"]!;
            silo.Services.AddSingleton<IKubernetes>(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = host }));
            silo.AddKubernetes(options, o =>
            {
                o.Namespace = "training";
                o.CheckpointClaimName = "checkpoints";
                o.StartTimeoutSeconds = int.Parse(silo.Configuration["StartTimeout"]!, CultureInfo.InvariantCulture);
            });
            silo.Services.Configure<JobSupervisionOptions>(o =>
            {
                o.HeartbeatTimeout = TimeSpan.FromSeconds(60);
                o.StartTimeout = TimeSpan.FromSeconds(120);
                o.CheckInterval = TimeSpan.FromMilliseconds(500);
            });
            silo.Services.Configure<SchedulerOptions>(o => o.PassInterval = TimeSpan.FromMilliseconds(250));
        }
    }
}
