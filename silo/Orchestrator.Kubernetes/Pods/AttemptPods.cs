using System.Collections.Concurrent;
using k8s.Models;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>The objects of one attempt the backend created: its Service (created once, before any pod) and its pods.</summary>
internal sealed class AttemptPods(string jobId, int attempt, int expectedPods, Func<Task<V1Service>> createService) : IDisposable
{
    private readonly Lazy<Task<V1Service>> _service = new(createService);
    private readonly CancellationTokenSource _startWatch = new();

    public string JobId { get; } = jobId;

    public int Attempt { get; } = attempt;

    /// <summary>Pods of the gang: one per placed node.</summary>
    public int ExpectedPods { get; } = expectedPods;

    public ConcurrentDictionary<string, PodRun> Pods { get; } = new(StringComparer.Ordinal);

    /// <summary>Cancelled once every pod runs, or the attempt is stopped: ends the start-timeout wait.</summary>
    public CancellationToken StartWatch => _startWatch.Token;

    public Task<V1Service> ServiceAsync() => _service.Value;

    public bool AllRunning => Pods.Count == ExpectedPods && Pods.Values.All(p => p.Running);

    public void StopStartWatch()
    {
        try
        {
            _startWatch.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt was stopped already.
        }
    }

    public void Dispose()
    {
        StopStartWatch();
        _startWatch.Dispose();
        foreach (var pod in Pods.Values) pod.Dispose();
    }
}
