namespace Orchestrator.Worker;

/// <summary>
/// The worker's calls to the control plane while the daemon may be restarting or failing over: a call that fails is
/// logged and skipped, so training goes on and the worker re-attaches when a silo answers again (the job grain accepts
/// the reports of the attempt in force from whichever activation it has). A worker that has heard nothing for
/// <see cref="GracePeriod"/> stops itself: it has been given up on, or no daemon is coming back.
/// </summary>
internal sealed class ControlPlaneLink(CancellationTokenSource stop, TextWriter output, TimeProvider time)
{
    /// <summary>How long a worker trains on without any answer from the control plane.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private DateTimeOffset _lastAnswer = time.GetUtcNow();
    private bool _unreachable;

    /// <summary>True while the last call went unanswered (skip what can wait for the next report).</summary>
    public bool Away
    {
        get
        {
            lock (_gate) return _unreachable;
        }
    }

    /// <summary>Calls the control plane; returns <paramref name="unanswered"/> when it does not answer.</summary>
    public async Task<T> CallAsync<T>(string what, Func<Task<T>> call, T unanswered)
    {
        try
        {
            var answer = await call();
            Answered();
            return answer;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Unanswered(what, e);
            return unanswered;
        }
    }

    /// <summary>Calls the control plane for something that must arrive (a completion): tries again until it does or the grace period ends.</summary>
    public async Task<bool> DeliverAsync(string what, Func<Task> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await CallAsync(what, async () => { await call(); return true; }, false)) return true;
            if (stop.IsCancellationRequested) return false;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private void Answered()
    {
        bool was;
        lock (_gate)
        {
            was = _unreachable;
            _unreachable = false;
            _lastAnswer = time.GetUtcNow();
        }

        if (was) output.WriteLine("worker: the control plane answers again; re-attached");
    }

    private async Task Unanswered(string what, Exception e)
    {
        TimeSpan silent;
        bool first;
        lock (_gate)
        {
            first = !_unreachable;
            _unreachable = true;
            silent = time.GetUtcNow() - _lastAnswer;
        }

        if (first) output.WriteLine($"worker: {what} failed ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); training on while the control plane is away");
        if (silent < GracePeriod) return;
        output.WriteLine($"worker: no answer from the control plane for {silent.TotalSeconds:F0} s; stopping");
        await stop.CancelAsync();
    }
}
