namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Runs a save's chunk work on threads of its own rather than the thread pool. A worker blocks for milliseconds at
/// a time in a write or a flush; on a two-core machine the pool starts with two threads and adds more only slowly, so
/// blocked pool workers would leave the cores idle instead of hashing the next chunks.
/// </summary>
internal static class WorkerThreads
{
    /// <summary>
    /// Calls <paramref name="work"/>(worker, item) for every item in 0..<paramref name="items"/>-1, on up to
    /// <paramref name="threads"/> threads. After the first failure or cancellation no new item starts; the task then
    /// faults with that failure (or is cancelled) once every running item has returned.
    /// </summary>
    public static Task RunAsync(string name, int threads, int items, Action<int, int> work, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (items == 0) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = Math.Min(threads, items);
        var next = -1;
        var running = count;
        Exception? failure = null;
        for (var worker = 0; worker < count; worker++)
        {
            var self = worker;
            var thread = new Thread(() =>
            {
                try
                {
                    int item;
                    while (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested
                        && (item = Interlocked.Increment(ref next)) < items)
                    {
                        work(self, item);
                    }
                }
                catch (Exception error)
                {
                    Interlocked.CompareExchange(ref failure, error, null);
                }
                finally
                {
                    if (Interlocked.Decrement(ref running) == 0)
                    {
                        if (failure is not null) done.SetException(failure);
                        else if (cancellationToken.IsCancellationRequested) done.SetCanceled(cancellationToken);
                        else done.SetResult();
                    }
                }
            })
            {
                IsBackground = true,
                Name = name,
            };
            thread.Start();
        }

        return done.Task;
    }
}
