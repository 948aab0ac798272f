using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>
/// The fake API server's objects of one kind, with resourceVersions from a shared counter, an event history for
/// watches to resume from (compactable, so an old version answers 410 Gone), and live watch subscribers.
/// </summary>
internal sealed class FakeStore<T>(string kind, FakeVersions versions) where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, T> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Line, T Object)> _history = [];
    private readonly List<FakeWatcher<T>> _watchers = [];
    private long _compactedBefore;

    public string Kind { get; } = kind;

    /// <summary>Open watches of this kind.</summary>
    public int Watchers
    {
        get
        {
            lock (Sync) return _watchers.Count;
        }
    }

    public object Sync { get; } = new();

    public List<T> Items()
    {
        lock (Sync) return _objects.Values.ToList();
    }

    public T? Get(string name)
    {
        lock (Sync) return _objects.GetValueOrDefault(name);
    }

    /// <summary>Adds, replaces (MODIFIED) or deletes an object, stamping a new resourceVersion and telling watchers.</summary>
    public T Put(WatchEventType type, T item)
    {
        lock (Sync)
        {
            var version = versions.Next();
            item.Metadata.ResourceVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (type == WatchEventType.Deleted) _objects.Remove(item.Metadata.Name);
            else _objects[item.Metadata.Name] = item;
            var line = KubernetesJson.Serialize(new Dictionary<string, object> { ["type"] = WireName(type), ["object"] = item });
            _history.Add((version, line, item));
            foreach (var watcher in _watchers.Where(w => w.Matches(item))) watcher.Lines.Writer.TryWrite(line);
            return item;
        }
    }

    /// <summary>Replaces an object by a changed copy (MODIFIED) if it is still there: a deleted pod stays deleted.</summary>
    public T? Update(string name, Func<T, T> change)
    {
        lock (Sync)
        {
            return _objects.TryGetValue(name, out var item) ? Put(WatchEventType.Modified, change(item)) : null;
        }
    }

    /// <summary>Deletes an object if it is there (atomically, as two racing deletes get one 200 and one 404).</summary>
    public T? TryDelete(string name)
    {
        lock (Sync)
        {
            return _objects.TryGetValue(name, out var item) ? Put(WatchEventType.Deleted, item) : null;
        }
    }

    public string ListVersion()
    {
        lock (Sync) return versions.Current.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Forgets the history up to now: a watch from an older version is then answered with 410 Gone.</summary>
    public void Compact()
    {
        lock (Sync)
        {
            _compactedBefore = versions.Current;
            _history.Clear();
        }
    }

    /// <summary>Subscribes a watch from <paramref name="fromVersion"/>: the events after it, then live ones; null when it expired.</summary>
    public FakeWatcher<T>? Watch(long fromVersion, Func<T, bool> filter)
    {
        lock (Sync)
        {
            if (fromVersion < _compactedBefore) return null;
            var watcher = new FakeWatcher<T>(filter);
            foreach (var (_, line, item) in _history.Where(h => h.Version > fromVersion && filter(h.Object)).Select(h => (h.Version, h.Line, h.Object)))
                watcher.Lines.Writer.TryWrite(line);
            _watchers.Add(watcher);
            return watcher;
        }
    }

    public void Unsubscribe(FakeWatcher<T> watcher)
    {
        lock (Sync) _watchers.Remove(watcher);
    }

    /// <summary>Ends every open watch of this kind abruptly (a dropped connection).</summary>
    public void DropWatches()
    {
        lock (Sync)
        {
            foreach (var watcher in _watchers) watcher.Drop.Cancel();
        }
    }

    /// <summary>Sends a BOOKMARK carrying the current version to every open watch.</summary>
    public void Bookmark()
    {
        lock (Sync)
        {
            var line = $"{{\"type\":\"BOOKMARK\",\"object\":{{\"kind\":\"{Kind}\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{versions.Current}\"}}}}}}";
            foreach (var watcher in _watchers) watcher.Lines.Writer.TryWrite(line);
        }
    }

    private static string WireName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "only object events are stored"),
    };
}
