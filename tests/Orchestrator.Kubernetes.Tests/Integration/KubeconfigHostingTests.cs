using System.Net;
using System.Net.Sockets;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>A daemon hosted as <c>orch up --backend kubernetes --kubeconfig FILE</c> hosts it: the client comes from the file.</summary>
public sealed class KubeconfigHostingTests
{
    [Fact]
    public async Task A_daemon_with_the_kubernetes_backend_reads_its_inventory_from_the_cluster_named_in_the_kubeconfig()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("gpu-1"));
        server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("gpu-2", product: "NVIDIA-H200"));
        var directory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"kubeconfig-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var kubeconfig = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"} name: fake, cluster: {"{"} server: "{server.Address.ToString().TrimEnd('/')}" {"}"} {"}"}]
            users: [{"{"} name: tester, user: {"{"} token: abc {"}"} {"}"}]
            contexts: [{"{"} name: fake, context: {"{"} cluster: fake, user: tester, namespace: training {"}"} {"}"}]
            current-context: fake
            """);
        var options = new OrchestratorSiloOptions { DataDirectory = directory, Backend = "kubernetes", MetricsPort = 0, SiloPort = FreePort(), GatewayPort = FreePort() };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddOrchestratorSilo(options, silo => silo.AddKubernetes(options, o => o.KubeconfigPath = kubeconfig));
        using var host = builder.Build();
        await host.StartAsync();

        var cluster = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();

        Assert.Equal(("kubernetes", 16), (cluster.Source, cluster.Total));
        Assert.Equal(["h100-80gb", "h200-141gb"], cluster.Nodes.Select(n => n.Node.GpuType).Order());
        await host.StopAsync();
    }

    [Fact]
    public void The_kubernetes_backend_without_the_provider_is_refused_with_what_to_add()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<ArgumentException>(() => builder.AddOrchestratorSilo(new OrchestratorSiloOptions { Backend = "kubernetes" }));
        Assert.Contains("AddKubernetes", error.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
