using System.Net;
using System.Net.Sockets;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Cluster;
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
        using var host = await StartDaemonAsync(server);

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

    [Fact]
    public async Task A_daemon_comes_up_before_any_node_can_take_work_and_uses_the_first_that_can()
    {
        // A chart installed before its GPU nodes are labelled: the silo must start (not crash-loop) and wait for one.
        await using var server = await FakeApiServer.StartAsync();
        server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("unlabelled", product: null));
        using var host = await StartDaemonAsync(server);
        var scheduler = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchedulerGrain>("default");
        Assert.Equal(0, Usable(await scheduler.GetClusterViewAsync()));

        server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("gpu-1"));
        var usable = 0;
        await Eventually.HoldsAsync(() => (usable = Usable(scheduler.GetClusterViewAsync().GetAwaiter().GetResult())) == 8,
            TimeSpan.FromSeconds(30), () => $"the scheduler may use {usable} devices, not the new node's 8");
        await host.StopAsync();
    }

    private static async Task<IHost> StartDaemonAsync(FakeApiServer server)
    {
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
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int Usable(ClusterView cluster) => cluster.Nodes.Where(n => n.Node.Schedulable).Sum(n => n.Gpus.Count);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
