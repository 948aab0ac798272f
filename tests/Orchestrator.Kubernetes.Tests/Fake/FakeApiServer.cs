using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>
/// A Kubernetes API server stand-in on 127.0.0.1 that speaks the real wire protocol (JSON lists with a
/// resourceVersion, newline-delimited watch streams with ADDED/MODIFIED/DELETED/BOOKMARK/ERROR, 410 Gone for an
/// expired version, pods/log with follow) for nodes, pods and services, so the real KubernetesClient code runs
/// against it. A scripted kubelet (<see cref="Kubelet"/>) moves created pods through their phases.
/// </summary>
internal sealed partial class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeVersions _versions = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private FakeApiServer(WebApplication app)
    {
        _app = app;
        Nodes = new FakeStore<V1Node>("Node", _versions);
        Pods = new FakeStore<V1Pod>("Pod", _versions);
        Services = new FakeStore<V1Service>("Service", _versions);
    }

    public FakeStore<V1Node> Nodes { get; }

    public FakeStore<V1Pod> Pods { get; }

    public FakeStore<V1Service> Services { get; }

    public FakePodLogs Logs { get; } = new();

    /// <summary>Delay added to every request (a slow or distant API server).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Run for every pod created (in the background): moves it through its phases.</summary>
    public Func<FakeApiServer, V1Pod, Task>? Kubelet { get; set; }

    public Uri Address { get; private set; } = null!;

    /// <summary>When the latest pod was stored (for launch timings).</summary>
    public DateTimeOffset LastPodCreatedAt { get; private set; }

    /// <summary>Pods ever created (a retry storm or a duplicate shows here).</summary>
    public int PodsCreated => Requests("POST pods");

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        server.Map(app);
        await app.StartAsync();
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Address.ToString() });

    public int Requests(string key) => _requests.GetValueOrDefault(key);

    /// <summary>Changes a stored pod (a copy) and publishes it as MODIFIED; nothing if it was deleted meanwhile.</summary>
    public void UpdatePod(string name, Action<V1Pod> change)
    {
        var updated = Pods.Update(name, current =>
        {
            var pod = Copy(current);
            pod.Status ??= new V1PodStatus();
            change(pod);
            return pod;
        });
        if (updated?.Status.Phase is "Succeeded" or "Failed") Logs.Close(name);
    }

    /// <summary>Changes a stored node (a copy) and publishes it as MODIFIED.</summary>
    public void UpdateNode(string name, Action<V1Node> change)
    {
        var node = Nodes.Get(name) is { } current ? Copy(current) : throw new InvalidOperationException($"no node {name}");
        change(node);
        Nodes.Put(WatchEventType.Modified, node);
    }

    public async ValueTask DisposeAsync()
    {
        Nodes.DropWatches();
        Pods.DropWatches();
        Logs.CloseAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static T Copy<T>(T item) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var resource = context.Request.Path.Value!.Split('/').Last(s => s.Length > 0);
            var kind = context.Request.Path.Value.Contains("/pods", StringComparison.Ordinal) ? "pods" : context.Request.Path.Value.Contains("/services", StringComparison.Ordinal) ? "services" : "nodes";
            if (resource == "log") kind = "log";
            _requests.AddOrUpdate($"{context.Request.Method} {kind}", 1, (_, n) => n + 1);
            if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
            await next(context);
        });
        app.MapGet("/api/v1/nodes", context => ListOrWatchAsync(context, Nodes, _ => true));
        app.MapGet("/api/v1/namespaces/{ns}/pods", context => ListOrWatchAsync(context, Pods, Selector(context)));
        app.MapPost("/api/v1/namespaces/{ns}/pods", CreatePodAsync);
        app.MapDelete("/api/v1/namespaces/{ns}/pods/{name}", context => DeleteAsync(context, Pods, (string)context.Request.RouteValues["name"]!));
        app.MapDelete("/api/v1/namespaces/{ns}/pods", DeletePodsAsync);
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", context => Logs.ServeAsync(context, (string)context.Request.RouteValues["name"]!));
        app.MapPost("/api/v1/namespaces/{ns}/services", CreateServiceAsync);
        app.MapDelete("/api/v1/namespaces/{ns}/services/{name}", context => DeleteAsync(context, Services, (string)context.Request.RouteValues["name"]!));
    }
}
