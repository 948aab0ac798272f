namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// A shared/exclusive lock on <c>store.lock</c> that works across processes sharing the store: .NET takes an advisory
/// <c>flock</c> when a file is opened (shared for <see cref="FileShare.ReadWrite"/>, exclusive for <see cref="FileShare.None"/>).
/// Writers hold it shared while they record a chunk in their lease and check whether it is stored, and for the
/// commit; garbage collection holds it exclusively for its sweep, so it never interleaves with "record chunk in
/// lease, then check it exists".
/// </summary>
/// <remarks>
/// flock is per open file, so two handles in one process exclude each other as two processes would. It does not
/// hold on file systems without flock (some NFS mounts) or with DOTNET_SYSTEM_IO_DISABLEFILELOCKING set.
/// </remarks>
internal sealed class StoreLock(string path, TimeSpan timeout)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(50);

    private string Path => path;

    private TimeSpan Timeout => timeout;

    public ValueTask<IDisposable> SharedAsync(CancellationToken cancellationToken) => AcquireAsync(FileShare.ReadWrite, cancellationToken);

    public ValueTask<IDisposable> ExclusiveAsync(CancellationToken cancellationToken) => AcquireAsync(FileShare.None, cancellationToken);

    /// <summary>Takes the shared lock, blocking the calling thread while it waits (for the save's own worker threads).</summary>
    public IDisposable Shared(CancellationToken cancellationToken)
    {
        var retry = new Retry(this, FileShare.ReadWrite);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (retry.TryTake() is { } held) return held;
            cancellationToken.WaitHandle.WaitOne(retry.NextWait());
        }
    }

    private async ValueTask<IDisposable> AcquireAsync(FileShare share, CancellationToken cancellationToken)
    {
        var retry = new Retry(this, share);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (retry.TryTake() is { } held) return held;
            await Task.Delay(retry.NextWait(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One acquisition: tries to open the lock file in the wanted mode, backing off exponentially until the deadline.</summary>
    private struct Retry(StoreLock owner, FileShare share)
    {
        private readonly DateTime _deadline = DateTime.UtcNow + owner.Timeout;
        private TimeSpan _wait = FirstRetry;

        /// <summary>The held lock, or null when someone holds it in the other mode.</summary>
        /// <exception cref="TimeoutException">Still held by someone else at the deadline.</exception>
        public readonly IDisposable? TryTake()
        {
            try
            {
                return new FileStream(owner.Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share, bufferSize: 1);
            }
            catch (IOException) when (File.Exists(owner.Path))
            {
                if (DateTime.UtcNow < _deadline) return null;
                var mode = share == FileShare.None ? "exclusive" : "shared";
                throw new TimeoutException($"could not take the checkpoint store lock {owner.Path} ({mode}) within {owner.Timeout}: a garbage collection or a save holds it");
            }
        }

        public TimeSpan NextWait()
        {
            var wait = _wait;
            _wait = TimeSpan.FromTicks(Math.Min(_wait.Ticks * 2, LongestRetry.Ticks));
            return wait;
        }
    }
}
