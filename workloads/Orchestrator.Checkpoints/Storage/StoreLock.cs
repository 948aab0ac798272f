namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// A shared/exclusive lock on <c>store.lock</c> that works across processes sharing the store: .NET takes an advisory
/// <c>flock</c> when a file is opened (shared for <see cref="FileShare.ReadWrite"/>, exclusive for <see cref="FileShare.None"/>).
/// Writers hold it shared for each chunk they publish and for the commit; garbage collection holds it exclusively
/// for its sweep, so it never interleaves with "record chunk in lease, then check it exists".
/// </summary>
/// <remarks>
/// flock is per open file, so two handles in one process exclude each other as two processes would. It does not
/// hold on file systems without flock (some NFS mounts) or with DOTNET_SYSTEM_IO_DISABLEFILELOCKING set.
/// </remarks>
internal sealed class StoreLock(string path, TimeSpan timeout)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(50);

    public ValueTask<IDisposable> SharedAsync(CancellationToken cancellationToken) => AcquireAsync(FileShare.ReadWrite, cancellationToken);

    public ValueTask<IDisposable> ExclusiveAsync(CancellationToken cancellationToken) => AcquireAsync(FileShare.None, cancellationToken);

    private async ValueTask<IDisposable> AcquireAsync(FileShare share, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var wait = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share, bufferSize: 1);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held in the other mode by someone else: back off and retry until the deadline.
                if (DateTime.UtcNow >= deadline)
                {
                    var mode = share == FileShare.None ? "exclusive" : "shared";
                    throw new TimeoutException($"could not take the checkpoint store lock {path} ({mode}) within {timeout}: a garbage collection or a save holds it");
                }

                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }
}
