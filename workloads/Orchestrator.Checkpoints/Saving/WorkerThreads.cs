namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Runs a save's chunk work on threads of its own rather than the thread pool. A worker blocks for milliseconds at
/// a time in a write or a flush; on a two-core machine the pool starts with two threads and adds more only slowly, so
/// blocked pool workers would leave the cores idle instead of hashing the next chunks.
/// </summary>
internal static class WorkerThreads
{
    /// <summary>
    /// Calls <paramref name="work"/>(worker, item) for every item of <paramref name="items"/> on up to
    /// <paramref name="threads"/> threads, each taking the next item when it is done with one (the sequence is read
    /// under a lock, so it may be a blocking consumer). After the first failure or cancellation no new item starts;
    /// once every running item has returned the task faults with that failure, or is cancelled.
    /// </summary>
    public static Task RunAsync<T>(string name, int threads, IEnumerable<T> items, Action<int, T> work, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = items.GetEnumerator();
        var gate = new Lock();
        var running = threads;
        Exception? failure = null;

        bool TryTake(out T item)
        {
            lock (gate)
            {
                if (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested && source.MoveNext())
                {
                    item = source.Current;
                    return true;
                }

                item = default!;
                return false;
            }
        }

        void Finish()
        {
            source.Dispose();
            if (failure is null or OperationCanceledException && cancellationToken.IsCancellationRequested) done.SetCanceled(cancellationToken);
            else if (failure is not null) done.SetException(failure);
            else done.SetResult();
        }

        for (var worker = 0; worker < threads; worker++)
        {
            var self = worker;
            var thread = new Thread(() =>
            {
                try
                {
                    while (TryTake(out var item)) work(self, item);
                }
                catch (Exception error)
                {
                    Interlocked.CompareExchange(ref failure, error, null);
                }
                finally
                {
                    if (Interlocked.Decrement(ref running) == 0) Finish();
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
