using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Orchestrator.Kernels.Native;

/// <summary>
/// Makes TorchSharp's native library loadable on hosts whose libstdc++ is older than the one it was built against.
/// Call <see cref="EnsureLoaded"/> before the first torch call; every kernel entry point does so itself.
/// </summary>
/// <remarks>
/// TorchSharp 0.107.0's libLibTorchSharp.so requires GLIBCXX_3.4.32 for exactly one symbol,
/// <c>std::ios_base_library_init()</c>. Where the host lacks it (Debian 12), the copy of the library that the process
/// will load gets that one version requirement marked weak, and a tiny shim compiled with the host's g++ supplies the
/// symbol, loaded RTLD_GLOBAL first. On hosts that have the symbol nothing is touched.
/// </remarks>
public static class TorchRuntime
{
    internal const string MissingVersion = "GLIBCXX_3.4.32";
    internal const string MissingSymbol = "_ZSt21ios_base_library_initv";
    internal const string GlueLibraryFile = "libLibTorchSharp.so";

    // Loading is process-wide by nature (the dynamic loader has one namespace), so the once-guard is too.
    private static readonly Lazy<TorchRuntimeReport> Loaded = new(LoadOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Prepares the native libraries once per process and initialises TorchSharp's CPU backend.</summary>
    /// <returns>What was done, for logs.</returns>
    /// <exception cref="InvalidOperationException">The remedy was needed but could not be applied.</exception>
    public static TorchRuntimeReport EnsureLoaded() => Loaded.Value;

    private static TorchRuntimeReport LoadOnce()
    {
        var report = PrepareNativeLibraries();
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        return report;
    }

    private static TorchRuntimeReport PrepareNativeLibraries()
    {
        if (!OperatingSystem.IsLinux() || HostProvidesMissingSymbol())
        {
            return new TorchRuntimeReport(RemedyApplied: false, GlueLibraryPath: null, ShimPath: null);
        }

        var glue = FindGlueLibrary() ?? throw new InvalidOperationException(
            $"{GlueLibraryFile} was not found next to the application ({AppContext.BaseDirectory}); " +
            "reference the TorchSharp-cpu package from the executable or test project.");
        var shim = EnsureShimBuilt();
        if (LibDl.Open(shim, LibDl.RtldNow | LibDl.RtldGlobal) == IntPtr.Zero)
        {
            throw new InvalidOperationException($"Loading the libstdc++ shim {shim} failed: {LibDl.LastError()}");
        }

        var loadable = PatchInPlaceOrCopy(glue);
        if (loadable != glue)
        {
            // The build output is read-only: hand TorchSharp the patched copy when its own probing fails. The copy's
            // $ORIGIN run path points at the cache folder, so load LibTorch from beside the original first; the
            // copy's dependencies then resolve by soname to those already loaded.
            foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            {
                var beside = Path.Combine(Path.GetDirectoryName(glue)!, dependency);
                if (File.Exists(beside))
                {
                    NativeLibrary.Load(beside);
                }
            }

            var handle = NativeLibrary.Load(loadable);
            System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
                name.Contains("LibTorchSharp", StringComparison.Ordinal) ? handle : IntPtr.Zero;
        }

        return new TorchRuntimeReport(RemedyApplied: true, GlueLibraryPath: loadable, ShimPath: shim);
    }

    private static bool HostProvidesMissingSymbol()
    {
        var libstdcxx = LibDl.Open("libstdc++.so.6", LibDl.RtldNow | LibDl.RtldGlobal);
        return libstdcxx != IntPtr.Zero && LibDl.Symbol(libstdcxx, MissingSymbol) != IntPtr.Zero;
    }

    /// <summary>The glue library the runtime's probing would pick for TorchSharp, in the same order.</summary>
    internal static string? FindGlueLibrary()
    {
        var directories = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
            AppContext.BaseDirectory,
        };
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            directories.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        return directories.Select(d => Path.Combine(d, GlueLibraryFile)).FirstOrDefault(File.Exists);
    }

    /// <summary>Returns the path of a copy of <paramref name="glue"/> whose GLIBCXX_3.4.32 requirement is weak.</summary>
    internal static string PatchInPlaceOrCopy(string glue)
    {
        var image = File.ReadAllBytes(glue);
        if (ElfVersionPatcher.MarkRequirementWeak(image, MissingVersion) != VersionPatchOutcome.Patched)
        {
            return glue;
        }

        try
        {
            // Write beside and rename over: processes that already mapped the old file keep their inode, and a build
            // output that is a hard link into the package cache is replaced rather than edited through the link.
            WriteAtomically(glue, image);
            return glue;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var copy = Path.Combine(NativeShim.CacheDirectory("patched", Convert.ToHexString(SHA256.HashData(image))[..16]), GlueLibraryFile);
            if (!File.Exists(copy))
            {
                WriteAtomically(copy, image);
            }

            return copy;
        }
    }

    private static string EnsureShimBuilt() => NativeShim.Build(
        "Orchestrator.Kernels.Native.glibcxx_shim.cpp",
        "glibcxx-shim",
        "libglibcxx_shim.so",
        [],
        $"This host's libstdc++ lacks {MissingVersion}, which TorchSharp needs; building the replacement");

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
