using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Kubernetes.Watching;

/// <summary>
/// Keeps a cache of one kind of object in step with the API server: lists, then watches from the list's
/// resourceVersion (with bookmarks). A watch the server closes is resumed from the last version seen; a dropped
/// connection likewise, after a short pause; an expired version (410 Gone, as an HTTP status or an ERROR event)
/// relists, and the difference between the cache and the new list is handed on as changes, so no change is lost
/// and none is handed on twice. KubernetesClient offers the list and watch calls but no informer, hence this.
/// </summary>
internal sealed partial class ListWatch<TItem, TList>(
    string kind,
    Func<CancellationToken, Task<TList>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, TItem)>> watch,
    IWatchHandler<TItem> handler,
    ILogger logger)
    where TItem : class, IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<TItem>
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, TItem> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Lists completed (the first and every relist); for tests and diagnostics.</summary>
    public int Lists { get; private set; }

    /// <summary>The cached objects now.</summary>
    public IReadOnlyList<TItem> Items
    {
        get
        {
            lock (_lock) return _cache.Values.ToList();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? version = null;
        var delay = ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                version ??= await RelistAsync(cancellationToken);
                var from = version;
                var gone = false;
                Exception? failure = null;
                var events = watch(from, e =>
                {
                    if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone }) gone = true;
                    else failure ??= e;
                }, cancellationToken);
                await foreach (var (type, item) in events)
                {
                    delay = ReconnectDelay;
                    if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) await ApplyAsync(type, item, cancellationToken);
                    version = item.Metadata?.ResourceVersion ?? version;
                }

                if (gone)
                {
                    LogExpired(kind, version);
                    version = null;
                }
                else if (failure is not null)
                {
                    throw failure;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                LogExpired(kind, version);
                version = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A dropped connection or a server error: resume from the last version seen (a 410 then relists).
                LogWatchFailed(e, kind, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var response = await list(cancellationToken);
        var fresh = response.Items.ToDictionary(i => i.Metadata.Name, StringComparer.Ordinal);
        List<(WatchEventType, TItem)> changes;
        lock (_lock)
        {
            changes = _cache.Values.Where(old => !fresh.ContainsKey(old.Metadata.Name)).Select(old => (WatchEventType.Deleted, old)).ToList();
            foreach (var item in fresh.Values)
            {
                if (!_cache.TryGetValue(item.Metadata.Name, out var old)) changes.Add((WatchEventType.Added, item));
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion) changes.Add((WatchEventType.Modified, item));
            }

            _cache.Clear();
            foreach (var (name, item) in fresh) _cache[name] = item;
            Lists++;
        }

        foreach (var (type, item) in changes) await handler.OnChangedAsync(type, item, cancellationToken);
        await handler.OnSyncedAsync(cancellationToken);
        return response.Metadata?.ResourceVersion ?? "";
    }

    private async Task ApplyAsync(WatchEventType type, TItem item, CancellationToken cancellationToken)
    {
        var name = item.Metadata.Name;
        lock (_lock)
        {
            // A replayed event (a watch resumed from an older version) changes nothing: hand it on once only.
            var known = _cache.TryGetValue(name, out var old);
            if (type == WatchEventType.Deleted ? !known : known && old!.Metadata.ResourceVersion == item.Metadata.ResourceVersion) return;
            // The cache changes first: a handler may read it (the inventory builds its snapshot from it).
            if (type == WatchEventType.Deleted) _cache.Remove(name);
            else _cache[name] = item;
        }

        await handler.OnChangedAsync(type, item, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} watch: resource version {Version} expired (410 Gone); relisting")]
    private partial void LogExpired(string kind, string? version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} watch dropped; resuming in {DelayMilliseconds} ms")]
    private partial void LogWatchFailed(Exception exception, string kind, double delayMilliseconds);
}
