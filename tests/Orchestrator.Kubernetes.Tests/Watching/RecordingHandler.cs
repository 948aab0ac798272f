using System.Collections.Concurrent;
using k8s;
using Orchestrator.Kubernetes.Watching;

namespace Orchestrator.Kubernetes.Tests.Watching;

/// <summary>Records every change a list-watch hands on, in order.</summary>
internal sealed class RecordingHandler<T>(Func<T, string> name) : IWatchHandler<T>
{
    public ConcurrentQueue<(WatchEventType Type, string Name)> Changes { get; } = new();

    public int Syncs;

    public Task OnChangedAsync(WatchEventType type, T item, CancellationToken cancellationToken)
    {
        Changes.Enqueue((type, name(item)));
        return Task.CompletedTask;
    }

    public Task OnSyncedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Syncs);
        return Task.CompletedTask;
    }

    public int Count(WatchEventType type, string item) => Changes.Count(c => c.Type == type && c.Name == item);
}
