using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Kubernetes.Tests.Integration;
using Orchestrator.Kubernetes.Watching;

namespace Orchestrator.Kubernetes.Tests.Watching;

/// <summary>The node list-watch against the fake API server through the real KubernetesClient: resumes, relists, bookmarks.</summary>
public sealed class ListWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RecordingHandler<V1Node> _handler = new(n => n.Metadata.Name);
    private readonly CancellationTokenSource _stop = new();
    private FakeApiServer _server = null!;
    private ListWatch<V1Node, V1NodeList> _watch = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        foreach (var name in new[] { "n1", "n2", "n3" }) _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu(name));
        var client = _server.Client();
        _watch = new ListWatch<V1Node, V1NodeList>("node",
            ct => client.CoreV1.ListNodeAsync(cancellationToken: ct),
            (version, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            _handler, NullLogger.Instance);
        _running = Task.Run(() => _watch.RunAsync(_stop.Token));
        await UntilAsync(() => _handler.Syncs == 1 && WatchOpen(), "first list and an open watch");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_list_then_watch_hands_on_additions_changes_and_deletions_once_each()
    {
        Assert.Equal(3, _handler.Changes.Count(c => c.Type == WatchEventType.Added));
        _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("n4"));
        _server.UpdateNode("n1", TestNodes.MarkNotReady);
        _server.Nodes.TryDelete("n2");
        _server.Nodes.Bookmark();

        await UntilAsync(() => _handler.Count(WatchEventType.Deleted, "n2") == 1, "n2 deleted");
        Assert.Equal([(WatchEventType.Added, "n4"), (WatchEventType.Modified, "n1"), (WatchEventType.Deleted, "n2")], _handler.Changes.Skip(3));
        Assert.Equal(["n1", "n3", "n4"], _watch.Items.Select(n => n.Metadata.Name).Order());
        Assert.Equal("Unknown", _watch.Items.Single(n => n.Metadata.Name == "n1").Status.Conditions[0].Status);
    }

    [Fact]
    public async Task A_dropped_connection_resumes_from_the_last_version_with_no_change_lost_or_repeated()
    {
        _server.Nodes.DropWatches();
        _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("n5"));
        _server.UpdateNode("n3", n => n.Spec.Unschedulable = true);

        await UntilAsync(() => _handler.Count(WatchEventType.Modified, "n3") == 1 && WatchOpen(), "n3 cordoned seen after the reconnect");
        _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("n6"));
        await UntilAsync(() => _handler.Count(WatchEventType.Added, "n6") == 1, "n6 added");

        Assert.Equal(1, _watch.Lists);
        Assert.Equal(1, _handler.Count(WatchEventType.Added, "n5"));
        Assert.Equal(_handler.Changes.Count, _handler.Changes.Distinct().Count());
    }

    [Fact]
    public async Task An_expired_version_relists_and_hands_on_what_changed_meanwhile()
    {
        _server.Nodes.DropWatches();
        _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("n7"));
        _server.Nodes.TryDelete("n1");
        _server.Nodes.Compact();

        await UntilAsync(() => _watch.Lists == 2 && _handler.Count(WatchEventType.Deleted, "n1") == 1, "relisted after 410 Gone");

        Assert.Equal(1, _handler.Count(WatchEventType.Added, "n7"));
        Assert.Equal(2, _handler.Syncs);
        Assert.Equal(["n2", "n3", "n7"], _watch.Items.Select(n => n.Metadata.Name).Order());
    }

    [Fact]
    public async Task A_bookmark_moves_the_resume_point_so_a_compacted_history_needs_no_relist()
    {
        // Other kinds move the shared version on; the bookmark tells the node watch so.
        _server.Services.Put(WatchEventType.Added, new V1Service { Metadata = new V1ObjectMeta { Name = "s1" } });
        _server.Services.Put(WatchEventType.Added, new V1Service { Metadata = new V1ObjectMeta { Name = "s2" } });
        _server.Nodes.Bookmark();
        await Task.Delay(300);
        _server.Nodes.Compact();
        _server.Nodes.DropWatches();
        _server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("n8"));

        await UntilAsync(() => _handler.Count(WatchEventType.Added, "n8") == 1, "n8 seen after the reconnect");
        Assert.Equal(1, _watch.Lists);
    }

    private bool WatchOpen() => _server.Requests("GET nodes") >= 2 && _server.Nodes.Watchers > 0;

    private Task UntilAsync(Func<bool> condition, string what) =>
        Eventually.HoldsAsync(condition, Patience, () => $"{what}; changes: {string.Join(", ", _handler.Changes)}; lists {_watch.Lists}");
}
