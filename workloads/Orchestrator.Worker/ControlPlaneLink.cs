namespace Orchestrator.Worker;

/// <summary>
/// The worker's calls to the control plane while the daemon may be restarting or failing over: a call that fails, or
/// that goes unanswered for <see cref="CallPatience"/>, is logged and skipped, so training goes on and the worker
/// re-attaches when a silo answers again (the job grain accepts the reports of the attempt in force from whichever
/// activation it has). A worker that has heard nothing for <see cref="GracePeriod"/> stops itself: it has been given
/// up on, or no daemon is coming back.
/// </summary>
/// <param name="stop">Cancelled when the grace period runs out (training stops).</param>
/// <param name="output">The worker's log.</param>
/// <param name="time">The clock.</param>
/// <param name="callPatience">How long one call may go unanswered before it counts as unanswered; <see cref="CallPatience"/> unless a test shortens it.</param>
internal sealed class ControlPlaneLink(CancellationTokenSource stop, TextWriter output, TimeProvider time, TimeSpan? callPatience = null)
{
    /// <summary>How long a worker trains on without any answer from the control plane.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the worker waits for one call's answer. A request that was in flight when the daemon died is never
    /// answered, and Orleans fails it only at its response timeout (30 s, see dotnet/orleans#6440): a heartbeat stuck
    /// that long outlasts the job grain's heartbeat timeout (20 s by default) and the restarted daemon gives the
    /// attempt up although the worker is alive. Waiting at most this long keeps a heartbeat going out every few
    /// seconds; an abandoned call still reaches the grain if it can (every report is idempotent).
    /// </summary>
    public static readonly TimeSpan CallPatience = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _patience = callPatience ?? CallPatience;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastAnswer = time.GetUtcNow();
    private bool _unreachable;
    private bool _gaveUp;

    /// <summary>True while the last call went unanswered (skip what can wait for the next report).</summary>
    public bool Away
    {
        get
        {
            lock (_gate) return _unreachable;
        }
    }

    /// <summary>Calls the control plane; returns <paramref name="unanswered"/> when it fails or does not answer in time.</summary>
    public async Task<T> CallAsync<T>(string what, Func<Task<T>> call, T unanswered)
    {
        Task<T>? pending = null;
        try
        {
            pending = call();
            var answer = await pending.WaitAsync(_patience, time);
            Answered();
            return answer;
        }
        catch (TimeoutException e) when (pending is { IsCompleted: false })
        {
            // Abandoned, not cancelled (a grain call cannot be): observe its eventual failure so it is not reported as unobserved.
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await Unanswered(what, new TimeoutException($"no answer within {_patience.TotalSeconds:0.#} s", e));
            return unanswered;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Unanswered(what, e);
            return unanswered;
        }
    }

    /// <summary>
    /// Calls the control plane for something that must arrive (a completion): tries again until it does, the grace
    /// period ends or <paramref name="cancellationToken"/> fires. Independent of the training's stop, which has
    /// usually fired by then.
    /// </summary>
    public async Task<bool> DeliverAsync(string what, Func<Task> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await CallAsync(what, async () => { await call(); return true; }, false)) return true;
            lock (_gate)
            {
                if (_gaveUp) return false;
            }

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
            _gaveUp |= silent >= GracePeriod;
        }

        if (first) output.WriteLine($"worker: {what} failed ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); training on while the control plane is away");
        if (silent < GracePeriod) return;
        output.WriteLine($"worker: no answer from the control plane for {silent.TotalSeconds:F0} s; stopping");
        await stop.CancelAsync();
    }
}
