using System.Runtime.InteropServices;

namespace Orchestrator.Kernels.Native;

/// <summary>
/// Bytes the process has allocated from the C heap, where LibTorch keeps CPU tensors. Process-wide (all ranks of an
/// in-process world together), so measure one rank at a time or take differences around a region of interest.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>Bytes in use by malloc (arena chunks plus mmap-ed blocks), from glibc's mallinfo2.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux with glibc.</exception>
    public static long AllocatedBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("NativeHeap reads glibc's mallinfo2 and needs Linux.");
        }

        var info = MallInfo2();
        return (long)(info.InUseArenaBytes + info.MappedBytes);
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();

    // struct mallinfo2: ten size_t fields, in this order.
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena;
        public nuint FreeChunks;
        public nuint FastBins;
        public nuint MappedRegions;
        public nuint MappedBytes;
        public nuint MaxTotalAllocated;
        public nuint FreedFastBinBytes;
        public nuint InUseArenaBytes;
        public nuint FreeArenaBytes;
        public nuint TopReleasable;
    }
}
