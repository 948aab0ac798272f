using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class WorkerThreadsTests
{
    [Fact]
    public async Task Every_item_runs_once_on_threads_of_its_own_not_the_thread_pool()
    {
        var runs = new int[100];
        var onPool = 0;
        var workers = new HashSet<int>();

        await WorkerThreads.RunAsync("test", threads: 4, Enumerable.Range(0, runs.Length), (worker, item) =>
        {
            Interlocked.Increment(ref runs[item]);
            if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref onPool);
            lock (workers) workers.Add(worker);
        }, CancellationToken.None);

        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(0, onPool);
        Assert.Subset(new HashSet<int> { 0, 1, 2, 3 }, workers);
    }

    [Fact]
    public async Task The_first_failure_stops_new_items_and_faults_the_task_with_it()
    {
        var started = 0;

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => WorkerThreads.RunAsync("test", threads: 1, Enumerable.Range(0, 10), (_, item) =>
        {
            Interlocked.Increment(ref started);
            if (item == 3) throw new InvalidDataException("item 3 failed");
        }, CancellationToken.None));

        Assert.Equal("item 3 failed", error.Message);
        Assert.Equal(4, started);
    }

    [Fact]
    public async Task Cancellation_stops_new_items_and_cancels_the_task()
    {
        using var cancellation = new CancellationTokenSource();
        var started = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WorkerThreads.RunAsync("test", threads: 1, Enumerable.Range(0, 10), (_, item) =>
        {
            Interlocked.Increment(ref started);
            if (item == 1) cancellation.Cancel();
        }, cancellation.Token));

        Assert.Equal(2, started);
    }

    [Fact]
    public async Task Workers_consuming_a_blocking_queue_finish_once_it_is_completed()
    {
        using var queue = new System.Collections.Concurrent.BlockingCollection<int>();
        var sum = 0;

        var running = WorkerThreads.RunAsync("test", threads: 3, queue.GetConsumingEnumerable(), (_, item) => Interlocked.Add(ref sum, item), CancellationToken.None);
        for (var i = 1; i <= 100; i++) queue.Add(i);
        queue.CompleteAdding();
        await running;

        Assert.Equal(5050, sum);
    }

    [Fact]
    public async Task No_items_complete_at_once_and_a_thread_count_below_one_is_refused()
    {
        await WorkerThreads.RunAsync("test", threads: 2, Enumerable.Empty<int>(), (_, _) => throw new InvalidOperationException("no item to run"), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WorkerThreads.RunAsync("test", threads: 0, Enumerable.Range(0, 1), (_, _) => { }, CancellationToken.None));
    }
}
