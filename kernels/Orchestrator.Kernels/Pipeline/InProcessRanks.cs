using System.Runtime.ExceptionServices;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Runs one body per rank, each on its own thread (TorchSharp's autograd and dispose scopes are per thread). When a
/// rank fails, the others are cancelled so none waits forever on a message that will not come, and the first
/// failure (not the cancellations it caused) is rethrown.
/// </summary>
public static class InProcessRanks
{
    // Autograd over deep models recurses on the calling thread; the default 1.5 MB secondary stack is tight.
    private const int RankStackBytes = 16 * 1024 * 1024;

    /// <summary>Runs <paramref name="body"/>(rank, token) for ranks 0..<paramref name="ranks"/>-1 and waits for all.</summary>
    public static void Run(int ranks, Action<int, CancellationToken> body, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentNullException.ThrowIfNull(body);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new ExceptionDispatchInfo?[ranks];
        var firstFailure = -1;
        var threads = new Thread[ranks];
        for (var rank = 0; rank < ranks; rank++)
        {
            var r = rank;
            threads[r] = new Thread(
                () =>
            {
                try
                {
                    body(r, abort.Token);
                }
                catch (Exception error)
                {
                    failures[r] = ExceptionDispatchInfo.Capture(error);
                    if (error is not OperationCanceledException) Interlocked.CompareExchange(ref firstFailure, r, -1);
                    abort.Cancel();
                }
            }, RankStackBytes)
            {
                IsBackground = true,
                Name = $"rank {r}",
            };
            threads[r].Start();
        }

        foreach (var thread in threads) thread.Join();
        if (firstFailure >= 0) failures[firstFailure]!.Throw();
        failures.FirstOrDefault(f => f is not null)?.Throw();
    }
}
