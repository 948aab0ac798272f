namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>The fake server's resourceVersion counter, shared by every kind as etcd's revision is.</summary>
internal sealed class FakeVersions
{
    private long _current = 100;

    public long Current => Interlocked.Read(ref _current);

    public long Next() => Interlocked.Increment(ref _current);
}
