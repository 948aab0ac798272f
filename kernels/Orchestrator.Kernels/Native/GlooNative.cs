using System.Runtime.InteropServices;

namespace Orchestrator.Kernels.Native;

/// <summary>
/// The C ABI of <c>gloo_shim.cpp</c>, compiled on first use against the host's libgloo (Debian: libgloo-dev). Every call
/// returns 0 on success or -1 with a message in the error buffer; no C++ exception crosses into .NET.
/// </summary>
internal static partial class GlooNative
{
    public const int ErrorCapacity = 1024;
    private const string Library = "orchestrator_gloo";

    // The dynamic loader's namespace is process-wide, so the once-guard is too.
    private static readonly Lazy<IntPtr> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Builds (first time on this host) and loads the shim; throws a clear error when Gloo is not installed.</summary>
    public static void EnsureLoaded() => _ = Handle.Value;

    private static IntPtr Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Gloo communicator needs Linux (libgloo).");
        }

        if (!File.Exists("/usr/include/gloo/allreduce.h") && LibDl.Open("libgloo.so.0", LibDl.RtldNow) == IntPtr.Zero)
        {
            throw new InvalidOperationException(
                "The network communicator needs Gloo, which is not installed: apt-get install libgloo-dev (scripts/install-test-tools.sh does).");
        }

        var path = NativeShim.Build("Orchestrator.Kernels.Native.gloo_shim.cpp", "gloo-shim", "liborchestrator_gloo.so", ["-lgloo", "-lpthread"], "the Gloo network communicator");
        var handle = NativeLibrary.Load(path);
        NativeLibrary.SetDllImportResolver(typeof(GlooNative).Assembly, (name, _, _) => name == Library ? handle : IntPtr.Zero);
        return handle;
    }

    [LibraryImport(Library, EntryPoint = "orch_gloo_device_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DeviceCreate(string host, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_device_free")]
    public static partial void DeviceFree(IntPtr device);

    [LibraryImport(Library, EntryPoint = "orch_gloo_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr Connect(IntPtr device, string storeDirectory, string prefix, int rank, int size, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_context_free")]
    public static partial void ContextFree(IntPtr context);

    [LibraryImport(Library, EntryPoint = "orch_gloo_allreduce")]
    public static partial int AllReduce(IntPtr context, IntPtr data, long count, int dataType, int operation, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_allgatherv")]
    public static partial int AllGatherV(IntPtr context, IntPtr input, IntPtr output, long[] bytesPerRank, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_alltoallv")]
    public static partial int AllToAllV(IntPtr context, IntPtr input, long[] inputBytes, IntPtr output, long[] outputBytes, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_broadcast")]
    public static partial int Broadcast(IntPtr context, IntPtr data, long bytes, int root, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_barrier")]
    public static partial int Barrier(IntPtr context, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_send")]
    public static partial int Send(IntPtr context, IntPtr data, long bytes, int destination, ulong slot, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_receive_post")]
    public static partial IntPtr ReceivePost(IntPtr context, IntPtr data, long bytes, int source, ulong slot, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_receive_wait")]
    public static partial int ReceiveWait(IntPtr receive, long timeoutMs, byte[] error, int capacity);

    [LibraryImport(Library, EntryPoint = "orch_gloo_receive_abort")]
    public static partial void ReceiveAbort(IntPtr receive);

    [LibraryImport(Library, EntryPoint = "orch_gloo_receive_free")]
    public static partial void ReceiveFree(IntPtr receive);

    [LibraryImport(Library, EntryPoint = "orch_gloo_time_allreduce")]
    public static partial double TimeAllReduce(IntPtr context, IntPtr data, long count, int iterations, long timeoutMs, byte[] error, int capacity);

    /// <summary>The message the shim wrote into <paramref name="error"/>.</summary>
    public static string Message(byte[] error)
    {
        var end = Array.IndexOf(error, (byte)0);
        return System.Text.Encoding.UTF8.GetString(error, 0, end < 0 ? error.Length : end);
    }
}
