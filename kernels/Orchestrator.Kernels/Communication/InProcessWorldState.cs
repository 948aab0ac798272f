namespace Orchestrator.Kernels.Communication;

/// <summary>What all groups of one in-process world share: the deadlock timeout and the abort signal.</summary>
internal sealed class InProcessWorldState(TimeSpan timeout)
{
    private readonly CancellationTokenSource abort = new();
    private Exception? cause;

    public TimeSpan Timeout { get; } = timeout;

    public CancellationToken Aborted => abort.Token;

    /// <summary>Wakes every rank blocked in a collective so that one rank's failure does not hang the others.</summary>
    public void Abort(Exception reason)
    {
        Interlocked.CompareExchange(ref cause, reason, null);
        abort.Cancel();
    }

    public Exception AbortException(string group, string operation) =>
        new OperationCanceledException(
            $"{operation} on group {group} was abandoned because another rank failed: {cause?.Message}", cause, abort.Token);
}
