using System.Runtime.ExceptionServices;

namespace Orchestrator.Kernels.Communication;

/// <summary>Runs one body per hosted rank, each on its own thread, for both kinds of world.</summary>
internal static class RankThreads
{
    // Autograd over deep models recurses on the calling thread; the default secondary-thread stack is tight.
    private const int RankStackBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Runs the ranks and rethrows the root failure. After a failure, threads still blocked get
    /// <paramref name="abandonAfter"/> to notice (a thread blocked in a native cross-process call only wakes when its peer
    /// goes away); with null every thread is joined.
    /// </summary>
    /// <returns>True when every thread finished (false: some were abandoned, still blocked).</returns>
    public static bool Run<T>(IReadOnlyList<ProcessGroups> ranks, InProcessWorldState state, T[] results, Func<ProcessGroups, T> body, TimeSpan? abandonAfter)
    {
        var failures = new Exception?[results.Length];

        // Not disposed: an abandoned thread may still signal it when its native call finally returns.
        var done = new CountdownEvent(ranks.Count);
        var threads = ranks.Select(groups => new Thread(() =>
        {
            try
            {
                results[groups.GlobalRank] = body(groups);
            }
            catch (Exception e)
            {
                failures[groups.GlobalRank] = e;
                state.Abort(e);
            }
            finally
            {
                done.Signal();
            }
        }, RankStackBytes)
        {
            IsBackground = true,
            Name = $"rank {groups.GlobalRank}",
        }).ToList();
        threads.ForEach(t => t.Start());
        var finished = true;
        if (abandonAfter is { } grace)
        {
            // Wait without limit until all finish or the first failure, then give the rest a bounded time.
            WaitHandle.WaitAny([state.Aborted.WaitHandle, done.WaitHandle]);
            finished = done.Wait(grace);
        }
        else
        {
            done.Wait();
        }

        // Prefer the root cause over the ranks that were merely woken by the abort. When it struck a helper thread (a
        // pipeline stage's sender) every rank was only woken, and the cause is what their abort carries.
        // A lost peer wins over the woken ranks' cancellations however deep it rides in them: which rank notices it
        // first is a race, and callers map it to a crash of the attempt.
        var root = failures.FirstOrDefault(e => e is not null and not OperationCanceledException)
            ?? failures.Select(CollectiveFailedException.FindIn).FirstOrDefault(e => e is not null)
            ?? failures.Select(e => e?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException)
            ?? failures.FirstOrDefault(e => e is not null);
        if (root is not null)
        {
            ExceptionDispatchInfo.Capture(root).Throw();
        }

        return finished;
    }
}
