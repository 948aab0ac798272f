using k8s;

namespace Orchestrator.Kubernetes.Watching;

/// <summary>Receives the changes a <see cref="ListWatch{TItem, TList}"/> sees, each once, in order.</summary>
internal interface IWatchHandler<in TItem>
{
    /// <summary>One object was added, modified or deleted (from a watch event, or from the difference a relist found).</summary>
    Task OnChangedAsync(WatchEventType type, TItem item, CancellationToken cancellationToken);

    /// <summary>The cache holds every object as of a list: after the first list and after every relist.</summary>
    Task OnSyncedAsync(CancellationToken cancellationToken);
}
