using System.Runtime.InteropServices;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Switches glibc's malloc, which LibTorch's CPU tensors come from, to keep freed memory in the process. By default
/// glibc serves large blocks with fresh mmaps and returns them (and the top of the heap) to the kernel on free, so a
/// step whose activations are tens of MB touches new pages on every repetition and pays a page fault per 4 KiB; how
/// many depends on block sizes and the allocator's history, not on the arithmetic. Retaining memory, as caching
/// allocators (PyTorch's on GPUs, jemalloc/tcmalloc on CPUs) do, makes steps after the first fault-free for every
/// variant alike.
/// </summary>
internal static class MoeAllocatorMode
{
    private const int TrimThreshold = -1;  // M_TRIM_THRESHOLD
    private const int MmapMax = -4;        // M_MMAP_MAX
    private const int DefaultTrimThreshold = 128 * 1024;
    private const int DefaultMmapMax = 65536;

    /// <summary>Keeps freed memory: no mmapped blocks, no trimming. Throws where glibc's mallopt refuses.</summary>
    public static void RetainFreedMemory()
    {
        Set(MmapMax, 0);
        Set(TrimThreshold, int.MaxValue);
    }

    /// <summary>glibc's default values again (its dynamic mmap threshold stays off once these were set).</summary>
    public static void RestoreDefaults()
    {
        Set(MmapMax, DefaultMmapMax);
        Set(TrimThreshold, DefaultTrimThreshold);
    }

    private static void Set(int parameter, int value)
    {
        if (MallOpt(parameter, value) != 1)
        {
            throw new InvalidOperationException($"mallopt({parameter}, {value}) failed; the moe suite needs glibc.");
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
