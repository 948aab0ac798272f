using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Kubernetes.Watching;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Kubernetes.Inventory;

/// <summary>
/// The live inventory: watches the cluster's nodes and hands every change to the cluster grain (which tells the
/// scheduler), and tells <see cref="INodeLossObserver"/>s at once when a node stops taking work. Publishing is
/// coalesced: a burst of node events becomes one new inventory, built from the cache as it is then.
/// </summary>
internal sealed partial class KubernetesInventory : IInventorySource, IWatchHandler<V1Node>, IHostedService, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IEnumerable<INodeLossObserver> _observers;
    private readonly KubernetesBackendOptions _options;
    private readonly ILogger<KubernetesInventory> _logger;
    private readonly ListWatch<V1Node, V1NodeList> _watch;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource<ClusterTopology?> _firstPublish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, string> _unavailable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _running;
    private int _disposed;

    public KubernetesInventory(IKubernetes client, IGrainFactory grains, IEnumerable<INodeLossObserver> observers,
        IOptions<KubernetesBackendOptions> options, ILogger<KubernetesInventory> logger)
    {
        _grains = grains;
        _observers = observers;
        _options = options.Value;
        _logger = logger;
        _watch = new ListWatch<V1Node, V1NodeList>("node",
            ct => client.CoreV1.ListNodeAsync(cancellationToken: ct),
            (version, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            this, logger);
    }

    /// <summary>Starts watching if not yet, waits for the first inventory to reach the cluster grain, and returns its topology.</summary>
    /// <exception cref="InventoryException">No node may take work.</exception>
    public async Task<ClusterTopology> LoadAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return await _firstPublish.Task.WaitAsync(cancellationToken)
            ?? throw new InventoryException(NodeInventoryBuilder.Source, null, null, "the cluster has no node that can take GPU work yet",
                "label nodes with a known GPU product and make them Ready and schedulable (see docs/kubernetes.md)");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_running is { } running) await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself, as the inventory source and as a hosted service: the container disposes it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }

    public async Task OnChangedAsync(WatchEventType type, V1Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name;
        var reason = type == WatchEventType.Deleted ? "deleted" : NodeMapping.Unavailability(node);
        bool lost;
        lock (_lock)
        {
            lost = reason is not null && !_unavailable.ContainsKey(name);
            if (reason is null || type == WatchEventType.Deleted) _unavailable.Remove(name);
            else _unavailable[name] = reason;
        }

        ReportRefusal(node, type);
        _dirty.Writer.TryWrite(true);
        if (!lost) return;
        LogNodeUnavailable(name, reason!);
        foreach (var observer in _observers) await observer.OnNodeUnavailableAsync(name, reason!, cancellationToken);
    }

    public Task OnSyncedAsync(CancellationToken cancellationToken)
    {
        _dirty.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    private void EnsureStarted()
    {
        lock (_lock)
        {
            _running ??= Task.WhenAll(Task.Run(() => _watch.RunAsync(_stop.Token)), Task.Run(() => PublishAsync(_stop.Token)));
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in _dirty.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var (snapshot, topology) = NodeInventoryBuilder.Build(_watch.Items, _options);
                    await _grains.GetGrain<IClusterGrain>("default").ApplyInventoryAsync(snapshot);
                    _firstPublish.TrySetResult(topology);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPublishFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ReportRefusal(V1Node node, WatchEventType type)
    {
        var info = NodeMapping.ToNodeInfo(node, _options);
        var refused = type != WatchEventType.Deleted && info.Status!.StartsWith("refused", StringComparison.Ordinal);
        bool first;
        lock (_lock)
        {
            // Warn once per refusal, again only if the node was fixed and refused anew.
            first = refused && _refused.Add(node.Metadata.Name);
            if (!refused) _refused.Remove(node.Metadata.Name);
        }

        if (first) LogRefused(node.Metadata.Name, info.Status!);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} is not used: {Reason}")]
    private partial void LogRefused(string node, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} stopped taking work: {Reason}; ending the attempts on it")]
    private partial void LogNodeUnavailable(string node, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "publishing the Kubernetes inventory failed; keeping the previous one")]
    private partial void LogPublishFailed(Exception exception);
}
