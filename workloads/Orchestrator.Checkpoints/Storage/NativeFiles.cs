using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The few libc calls the store needs and .NET does not offer: opening a file with flags of our choosing, locks that
/// hold across processes and NFS clients (<see cref="TryLock"/>), and fsync of a directory (.NET cannot open one).
/// </summary>
internal static partial class NativeFiles
{
    public const int ReadOnly = 0x0, WriteOnly = 0x1, ReadWrite = 0x2, Create = 0x40, Exclusive = 0x80, CloseOnExec = 0x80000;
    public const int ReadWriteForAll = 0x1B6; // 0666, narrowed by the umask as .NET's own file creation is

    private const int OpenFileDescriptionSetLock = 37; // F_OFD_SETLK (Linux 3.15+)
    private const short ReadLock = 0, WriteLock = 1; // F_RDLCK, F_WRLCK
    private const int FlockShared = 1, FlockExclusive = 2, FlockNonBlocking = 4;
    private const int TryAgain = 11, AccessDenied = 13, InvalidArgument = 22, NotSupported = 95, MacWouldBlock = 35;

    /// <summary>Opens <paramref name="path"/> with open(2) flags; the handle closes the descriptor.</summary>
    /// <returns>The handle, or null with <paramref name="error"/> set to errno.</returns>
    public static SafeFileHandle? TryOpen(string path, int flags, out int error)
    {
        var descriptor = Open(path, flags | CloseOnExec, ReadWriteForAll);
        error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    /// <summary>
    /// Tries once to lock the whole file shared or exclusive, without waiting; false when another holder has it in
    /// the other mode. On Linux an open-file-description lock (F_OFD_SETLK): owned by this descriptor like flock, so
    /// two handles in one process exclude each other and closing another descriptor of the file releases nothing, and
    /// a byte-range lock, which NFS clients take on the server. flock(2) on NFS is emulated with process-owned POSIX
    /// locks, which would do neither. Elsewhere flock(2). The lock is released when the handle is closed.
    /// </summary>
    /// <exception cref="IOException">The file system refuses locks (e.g. an NFS mount without a lock manager).</exception>
    public static bool TryLock(SafeFileHandle handle, bool exclusive, string path)
    {
        int result;
        if (OperatingSystem.IsLinux())
        {
            var range = new LockRange { Type = exclusive ? WriteLock : ReadLock }; // whence SET, start 0, length 0: the whole file
            result = FcntlLock(handle, OpenFileDescriptionSetLock, ref range);
        }
        else
        {
            result = Flock(handle, (exclusive ? FlockExclusive : FlockShared) | FlockNonBlocking);
        }

        if (result == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error is TryAgain or AccessDenied || (!OperatingSystem.IsLinux() && error == MacWouldBlock)) return false;
        throw new IOException($"the file system refuses to lock {path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}); " +
            "the checkpoint store needs locks that hold across processes (on NFS: a mount with lock support, not 'nolock')");
    }

    /// <summary>
    /// Flushes a directory's entries (renames, new and removed files) to stable storage, which fsync of the files
    /// themselves does not. A no-op on Windows and where the file system has nothing to flush for directories.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be opened or the flush failed.</exception>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        using var handle = TryOpen(directory, ReadOnly, out var error)
            ?? throw new IOException($"could not open directory {directory} to flush it: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        if (Fsync(handle) == 0) return;
        error = Marshal.GetLastPInvokeError();
        if (error is InvalidArgument or NotSupported) return; // a file system that keeps no directory state to flush
        throw new IOException($"could not flush directory {directory}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    /// <summary>struct flock of Linux on 64-bit targets (x64 and Arm64 share its layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LockRange
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int ProcessId; // must be 0 for open-file-description locks
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlLock(SafeFileHandle handle, int command, ref LockRange range);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle handle, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle handle);
}
