using System.Threading.Channels;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>One open watch: the event lines still to be written, and a switch that drops its connection.</summary>
internal sealed class FakeWatcher<T>(Func<T, bool> filter)
{
    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

    public CancellationTokenSource Drop { get; } = new();

    public bool Matches(T item) => filter(item);
}
