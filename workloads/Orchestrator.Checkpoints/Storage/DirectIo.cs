using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Files opened for direct I/O (Linux <c>O_DIRECT</c>): a write goes from the caller's memory to the device instead
/// of being copied into the page cache and written back later. .NET has no option for it, so the file is opened
/// through libc. Buffers, lengths and offsets must be multiples of <see cref="Alignment"/>.
/// </summary>
internal static class DirectIo
{
    /// <summary>Alignment of memory, lengths and offsets; 4096 satisfies devices with 512- and 4096-byte blocks.</summary>
    public const int Alignment = 4096;

    private const int InvalidArgument = 22;

    /// <summary>Whether this platform has O_DIRECT with a known flag value (Linux on x64 or Arm64).</summary>
    public static bool IsAvailable => DirectFlag != 0;

    private static int DirectFlag =>
        !OperatingSystem.IsLinux() ? 0
        : RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 0x4000,
            Architecture.Arm64 => 0x10000,
            _ => 0,
        };

    /// <summary>Creates a new file for direct writing; null when the file system refuses direct I/O (e.g. tmpfs before Linux 6.6).</summary>
    /// <exception cref="IOException">The file could not be created for another reason (exists, no space, no permission).</exception>
    public static SafeFileHandle? TryCreate(string path)
    {
        if (!IsAvailable) return null;
        var file = NativeFiles.TryOpen(path, NativeFiles.WriteOnly | NativeFiles.Create | NativeFiles.Exclusive | DirectFlag, out var error);
        if (file is not null || error == InvalidArgument) return file;
        throw new IOException($"could not create {path} for direct I/O: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    /// <summary>True when an I/O error is the kernel refusing a direct transfer's alignment (EINVAL).</summary>
    public static bool IsAlignmentRefusal(IOException error) => error.HResult == InvalidArgument;

    /// <summary>Whether pinned memory starting at <paramref name="address"/> may be handed to a direct transfer.</summary>
    public static unsafe bool IsAligned(void* address) => (nuint)address % Alignment == 0;

    /// <summary><paramref name="length"/> rounded up to a multiple of <see cref="Alignment"/>.</summary>
    public static int RoundUp(int length) => checked((length + Alignment - 1) / Alignment * Alignment);
}
