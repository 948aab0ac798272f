using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>The request handlers: list and watch, create and delete, as the real API server answers them.</summary>
internal sealed partial class FakeApiServer
{
    private static Func<V1Pod, bool> Selector(HttpContext context)
    {
        var selector = context.Request.Query["labelSelector"].ToString();
        var terms = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('=', 2)).ToList();
        return pod => terms.All(t => pod.Metadata.Labels is { } labels && labels.TryGetValue(t[0], out var v) && v == t[1]);
    }

    private static async Task ListOrWatchAsync<T>(HttpContext context, FakeStore<T> store, Func<T, bool> filter)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (context.Request.Query["watch"] is not { Count: > 0 } watch || watch[0] is not ("true" or "1"))
        {
            var list = new Dictionary<string, object>
            {
                ["kind"] = store.Kind + "List",
                ["apiVersion"] = "v1",
                ["metadata"] = new V1ListMeta { ResourceVersion = store.ListVersion() },
                ["items"] = store.Items().Where(filter).ToList(),
            };
            await WriteJsonAsync(context, 200, list);
            return;
        }

        var from = long.TryParse(context.Request.Query["resourceVersion"], out var version) ? version : 0;
        var watcher = store.Watch(from, filter);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (watcher is null)
        {
            // As kube-apiserver does for a watch from a compacted version: an ERROR event with a 410 Status, then close.
            await context.Response.WriteAsync($"{{\"type\":\"ERROR\",\"object\":{Status(410, "Expired", $"too old resource version: {from}")}}}\n");
            return;
        }

        try
        {
            await context.Response.Body.FlushAsync();
            using var drop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, watcher.Drop.Token);
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync(drop.Token))
            {
                await context.Response.WriteAsync(line + "\n", drop.Token);
                await context.Response.Body.FlushAsync(drop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the test dropped the connection: end it abruptly as a broken network would.
            if (watcher.Drop.IsCancellationRequested) context.Abort();
        }
        finally
        {
            store.Unsubscribe(watcher);
        }
    }

    private async Task CreatePodAsync(HttpContext context)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync());
        if (Pods.Get(pod.Metadata.Name) is not null)
        {
            await WriteStatusAsync(context, 409, "AlreadyExists", $"pods \"{pod.Metadata.Name}\" already exists");
            return;
        }

        pod.Metadata.Uid = Guid.NewGuid().ToString();
        pod.Metadata.CreationTimestamp = DateTime.UtcNow;
        pod.Status = new V1PodStatus { Phase = "Pending" };
        Logs.Open(pod.Metadata.Name);
        var stored = Pods.Put(WatchEventType.Added, pod);
        LastPodCreatedAt = DateTimeOffset.UtcNow;
        await WriteJsonAsync(context, 201, stored);
        if (Kubelet is { } kubelet) _ = Task.Run(() => kubelet(this, Copy(stored)));
    }

    private async Task CreateServiceAsync(HttpContext context)
    {
        var service = KubernetesJson.Deserialize<V1Service>(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync());
        if (Services.Get(service.Metadata.Name) is not null)
        {
            await WriteStatusAsync(context, 409, "AlreadyExists", $"services \"{service.Metadata.Name}\" already exists");
            return;
        }

        service.Metadata.Uid = Guid.NewGuid().ToString();
        await WriteJsonAsync(context, 201, Services.Put(WatchEventType.Added, service));
    }

    private async Task DeleteAsync<T>(HttpContext context, FakeStore<T> store, string name) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (store.TryDelete(name) is not { } item)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"\"{name}\" not found");
            return;
        }

        Logs.Close(name);
        await WriteJsonAsync(context, 200, item);
    }

    private async Task DeletePodsAsync(HttpContext context)
    {
        var filter = Selector(context);
        var deleted = Pods.Items().Where(filter).Select(p => Pods.TryDelete(p.Metadata.Name)).OfType<V1Pod>().ToList();
        foreach (var pod in deleted) Logs.Close(pod.Metadata.Name);

        await WriteJsonAsync(context, 200, new V1PodList { Kind = "PodList", ApiVersion = "v1", Metadata = new V1ListMeta(), Items = deleted });
    }

    /// <summary>A metav1.Status as JSON (the client's model type can be read but not written).</summary>
    private static string Status(int code, string reason, string message) => System.Text.Json.JsonSerializer.Serialize(
        new { kind = "Status", apiVersion = "v1", status = "Failure", code, reason, message });

    private static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Status(code, reason, message));
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(body));
    }
}
