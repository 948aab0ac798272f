using Orchestrator.Silo.Execution.External;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// One pod of an attempt as the backend follows it: where it runs, the relay that speaks for a user's container,
/// and whether its end has been reported (exactly once, whichever of the pod watch, a node loss or the start
/// timeout sees it first).
/// </summary>
internal sealed class PodRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _reported;
    private int _started;

    public PodRun(string jobId, int attempt, string node, string podName, ExternalTrainerRelay? relay)
    {
        (JobId, Attempt, Node, PodName, Relay) = (jobId, attempt, node, podName, relay);
        // Taken once: the log pump may still look at it after its attempt was stopped and this run disposed.
        Ended = _stop.Token;
    }

    public string JobId { get; }

    public int Attempt { get; }

    public string Node { get; }

    public string PodName { get; }

    /// <summary>Speaks for a user's container; null for the built-in worker, which reports for itself.</summary>
    public ExternalTrainerRelay? Relay { get; }

    /// <summary>True once its pod was seen Running.</summary>
    public bool Running { get; set; }

    /// <summary>Why it is not running yet, as last seen (e.g. Unschedulable), for the start-timeout message.</summary>
    public string? PendingReason { get; set; }

    /// <summary>True once the control plane asked it to stop: its deletion is then no failure.</summary>
    public bool Stopping { get; set; }

    /// <summary>Ends with the pod's log stream (null until the pod runs).</summary>
    public Task? LogPump { get; set; }

    /// <summary>Fires when the pod's end was reported or it was stopped: ends the log stream and heartbeats.</summary>
    public CancellationToken Ended { get; }

    /// <summary>True the first time only: the caller starts the log pump and heartbeats.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

    /// <summary>True the first time only: the caller reports the pod's end.</summary>
    public bool TryMarkReported() => Interlocked.Exchange(ref _reported, 1) == 0;

    public bool Reported => Volatile.Read(ref _reported) == 1;

    public void End()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed with its attempt.
        }
    }

    public void Dispose()
    {
        Relay?.Dispose();
        _stop.Dispose();
    }
}
