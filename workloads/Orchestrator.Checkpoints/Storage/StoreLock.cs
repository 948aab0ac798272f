using System.Runtime.InteropServices;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// A shared/exclusive lock on <c>store.lock</c> that holds between processes on one host and between hosts sharing
/// the store over NFS. Writers hold it shared while they record a chunk in their lease and check whether it is
/// stored, and for the commit; garbage collection and attempt claims hold it exclusively, so a sweep never
/// interleaves with "record chunk in lease, then check it exists" and a claim never with a commit's fencing check.
/// </summary>
/// <remarks>
/// Each acquisition opens its own descriptor of the lock file (read-write: an exclusive byte-range lock needs write
/// access, also on NFS) and locks it with <see cref="NativeFiles.TryLock"/>; the lock lives exactly as long as that
/// descriptor stays open. .NET's own locking (FileShare on open) is not used: it takes no shared lock at all for a
/// writable handle on NFS or SMB, ignores every error but "held by another", and can be switched off by an environment
/// variable, so on the volume the docs recommend it excluded nothing. A file system that refuses locks is an error here.
/// </remarks>
internal sealed class StoreLock(string path, TimeSpan timeout)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(50);

    public ValueTask<IDisposable> SharedAsync(CancellationToken cancellationToken) => AcquireAsync(exclusive: false, cancellationToken);

    public ValueTask<IDisposable> ExclusiveAsync(CancellationToken cancellationToken) => AcquireAsync(exclusive: true, cancellationToken);

    /// <summary>Takes the shared lock, blocking the calling thread while it waits (for the save's own worker threads).</summary>
    public IDisposable Shared(CancellationToken cancellationToken)
    {
        var retry = new Retry(this, exclusive: false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (retry.TryTake() is { } held) return held;
            cancellationToken.WaitHandle.WaitOne(retry.NextWait());
        }
    }

    private async ValueTask<IDisposable> AcquireAsync(bool exclusive, CancellationToken cancellationToken)
    {
        var retry = new Retry(this, exclusive);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (retry.TryTake() is { } held) return held;
            await Task.Delay(retry.NextWait(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One acquisition: tries to lock a fresh descriptor in the wanted mode, backing off exponentially until the deadline.</summary>
    private struct Retry(StoreLock owner, bool exclusive)
    {
        private readonly DateTime _deadline = DateTime.UtcNow + owner.Timeout;
        private TimeSpan _wait = FirstRetry;

        /// <summary>The held lock (closing it releases the lock), or null when someone holds it in the other mode.</summary>
        /// <exception cref="TimeoutException">Still held by someone else at the deadline.</exception>
        /// <exception cref="IOException">The lock file cannot be opened or the file system refuses locks.</exception>
        public readonly IDisposable? TryTake()
        {
            var handle = NativeFiles.TryOpen(owner.Path, NativeFiles.ReadWrite | NativeFiles.Create, out var error)
                ?? throw new IOException($"could not open the checkpoint store lock {owner.Path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
            try
            {
                if (NativeFiles.TryLock(handle, exclusive, owner.Path)) return handle;
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            handle.Dispose();
            if (DateTime.UtcNow < _deadline) return null;
            var mode = exclusive ? "exclusive" : "shared";
            throw new TimeoutException($"could not take the checkpoint store lock {owner.Path} ({mode}) within {owner.Timeout}: a garbage collection, an attempt claim or a save holds it");
        }

        public TimeSpan NextWait()
        {
            var wait = _wait;
            _wait = TimeSpan.FromTicks(Math.Min(_wait.Ticks * 2, LongestRetry.Ticks));
            return wait;
        }
    }

    private string Path => path;

    private TimeSpan Timeout => timeout;
}
