using System.Runtime.InteropServices;

namespace Orchestrator.Kernels.Native;

/// <summary>
/// The C heap, where LibTorch keeps CPU tensors: bytes the process has allocated (process-wide, all ranks of an
/// in-process world together, so measure one rank at a time or take differences around a region of interest), and
/// whether malloc keeps freed memory.
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

    /// <summary>
    /// Makes glibc's malloc keep freed memory in the process: no mmap-ed blocks, no trimming of the heap top. By default
    /// glibc serves blocks over its mmap threshold with fresh mappings and returns them on free, so a training step whose
    /// activations and gradients are tens of MB touches new pages every time and pays a page fault per 4 KiB (for an
    /// MoE layer, whose expert weight gradients are E times a dense FFN's, this doubled the step time here). Caching
    /// allocators (PyTorch's on GPUs, jemalloc or tcmalloc on CPUs) retain memory the same way; the cost is that the
    /// process keeps its peak heap. Process-wide and idempotent.
    /// </summary>
    /// <returns>False where the C library is not glibc (nothing changed).</returns>
    public static bool RetainFreedMemory() => SetMallocOptions(mmapMax: 0, trimThreshold: int.MaxValue);

    /// <summary>glibc's default values again (its dynamic mmap threshold stays off once options were set).</summary>
    /// <returns>False where the C library is not glibc (nothing changed).</returns>
    public static bool RestoreDefaults() => SetMallocOptions(mmapMax: 65536, trimThreshold: 128 * 1024);

    private static bool SetMallocOptions(int mmapMax, int trimThreshold)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallOpt(MmapMaxOption, mmapMax) == 1 && MallOpt(TrimThresholdOption, trimThreshold) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private const int TrimThresholdOption = -1; // M_TRIM_THRESHOLD
    private const int MmapMaxOption = -4;       // M_MMAP_MAX

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

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
