using System.Diagnostics;
using System.Security.Cryptography;

namespace Orchestrator.Kernels.Native;

/// <summary>
/// Builds the small C++ libraries this assembly carries as source (embedded resources) with the host's g++, once per
/// source text: the result is cached under <c>$XDG_CACHE_HOME/orchestrator/torch/KIND/HASH</c> and reused by every later
/// process. Compiling on the host (rather than shipping binaries) matches the host's libstdc++ and its libraries' ABI.
/// </summary>
internal static class NativeShim
{
    /// <summary>Returns the path of the compiled library, compiling it first when no process has yet.</summary>
    /// <param name="resource">The embedded resource holding the C++ source.</param>
    /// <param name="kind">Cache folder name, e.g. <c>gloo-shim</c>.</param>
    /// <param name="libraryFile">File name of the library, e.g. <c>liborchestrator_gloo.so</c>.</param>
    /// <param name="linkArguments">Arguments after the source file (libraries to link).</param>
    /// <param name="why">What the library is for, for the error when g++ is missing or fails.</param>
    public static string Build(string resource, string kind, string libraryFile, IReadOnlyList<string> linkArguments, string why)
    {
        using var source = typeof(NativeShim).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The native source {resource} is missing from the Orchestrator.Kernels assembly.");
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        var text = buffer.ToArray();
        var directory = CacheDirectory(kind, Convert.ToHexString(SHA256.HashData(text))[..16]);
        var library = Path.Combine(directory, libraryFile);
        if (File.Exists(library))
        {
            return library;
        }

        // Unique names: several processes (one worker per node) may compile at the same moment; the last rename wins
        // and every one of them is complete.
        var unique = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        var sourcePath = Path.Combine(directory, $"shim-{unique}.cpp");
        var output = Path.Combine(directory, $"shim-{unique}.so");
        File.WriteAllBytes(sourcePath, text);
        try
        {
            Compile([.. new[] { "-shared", "-fPIC", "-O2", "-std=c++17", "-o", output, sourcePath }, .. linkArguments], why);
            File.Move(output, library, overwrite: true);
        }
        finally
        {
            File.Delete(sourcePath);
            File.Delete(output);
        }

        return library;
    }

    /// <summary>A per-user cache folder for native artefacts of <paramref name="kind"/>, created if missing.</summary>
    public static string CacheDirectory(string kind, string key)
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            root = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }

        var directory = Path.Combine(root, "orchestrator", "torch", kind, key);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void Compile(IReadOnlyList<string> arguments, string why)
    {
        var start = new ProcessStartInfo("g++") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("g++ did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{why} needs g++, which was not found (install the g++ package).", e);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"g++ failed to build the native library for {why} ({process.ExitCode}): {errors.Result}");
            }
        }
    }
}
