using System.Runtime.InteropServices;

namespace Orchestrator.Kernels.Native;

/// <summary>The few glibc dynamic-loader calls needed to make libraries' symbols globally visible.</summary>
internal static partial class LibDl
{
    public const int RtldNow = 0x2;
    public const int RtldGlobal = 0x100;

    // glibc >= 2.34 exports dl* from libc itself; "libc.so.6" avoids the linker-script "libc.so" of dev packages.
    private const string Libc = "libc.so.6";

    [LibraryImport(Libc, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr Open(string? path, int flags);

    [LibraryImport(Libc, EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr Symbol(IntPtr handle, string name);

    [LibraryImport(Libc, EntryPoint = "dlerror")]
    private static partial IntPtr ErrorPointer();

    /// <summary>The loader's last error message, or an empty string.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(ErrorPointer()) ?? string.Empty;
}
