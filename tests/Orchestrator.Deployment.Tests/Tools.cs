using System.Diagnostics;

namespace Orchestrator.Deployment.Tests;

/// <summary>
/// The external tools these tests drive. scripts/test.sh sets ORCH_HELM, ORCH_K8S_MODELS, ORCH_PROMTOOL and
/// ORCH_PROMETHEUS (installed by scripts/install-test-tools.sh); without them the repository's .tools/ is tried, and a
/// missing tool fails the test with the way to install it (never a skip).
/// </summary>
internal static class Tools
{
    public static string Helm => Locate("ORCH_HELM", ".tools/helm/helm");

    public static string K8sModels => Locate("ORCH_K8S_MODELS", ".tools/k8s-models/node_modules");

    public static string Promtool => Locate("ORCH_PROMTOOL", ".tools/prometheus/usr/bin/promtool");

    public static string Prometheus => Locate("ORCH_PROMETHEUS", ".tools/prometheus/usr/bin/prometheus");

    public static string Node => Environment.GetEnvironmentVariable("ORCH_NODE") is { Length: > 0 } node ? node : "node";

    public static string Repository(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, relative);
        }

        throw new InvalidOperationException("repository root not found");
    }

    public static string TemporaryDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "orchestrator-deployment-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs a tool to completion; helm gets a writable HOME of its own.</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(string file, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["HOME"] = TemporaryDirectory("home");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{file}': {e.Message}; scripts/install-test-tools.sh installs it", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output, await error);
        }
    }

    private static string Locate(string variable, string fallback)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path) return Require(path, variable);
        return Require(Repository(fallback), variable);
    }

    private static string Require(string path, string variable) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} ({variable}) does not exist: run scripts/install-test-tools.sh (scripts/test.sh does)");
}
