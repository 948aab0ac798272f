using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// <c>orch up</c> as a process of its own, so that a test can SIGKILL it as a crash would (a daemon hosted in the
/// test process can only be stopped gracefully). Settings go in as <c>Orchestrator__*</c> environment variables.
/// The chaos benchmark links this file too.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly string _dataDirectory;

    private DaemonProcess(Process process, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
    }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    private static string CliPath =>
        typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OrchestratorCliPath").Value!;

    /// <summary>Starts <c>orch up</c> with <paramref name="options"/>' ports, data folder, mode and devices, and waits until it is up.</summary>
    public static async Task<DaemonProcess> StartAsync(OrchestratorSiloOptions options, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            CliPath, "up", "--data-dir", options.DataDirectory, "--mode", options.Mode.ToString().ToLowerInvariant(),
            "--silo-port", Text(options.SiloPort), "--gateway-port", Text(options.GatewayPort), "--metrics-port", "0",
            "--local-devices", Text(options.LocalDevices),
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (options.RedisConnection is { } redis)
        {
            start.ArgumentList.Add("--redis");
            start.ArgumentList.Add(redis);
        }

        start.Environment["ORCH_WORKER_PATH"] = options.WorkerPath;
        start.Environment["Orchestrator__ClusterId"] = options.ClusterId;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var daemon = new DaemonProcess(Process.Start(start)!, options.DataDirectory);
        var up = new TaskCompletionSource();
        daemon._process.OutputDataReceived += (_, e) => daemon.Append(e.Data, up);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Append(e.Data, up);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        var exited = daemon._process.WaitForExitAsync();
        if (await Task.WhenAny(up.Task, exited, Task.Delay(TimeSpan.FromMinutes(2))) != up.Task)
        {
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"orch up did not come up: {daemon.Output}");
        }

        return daemon;
    }

    /// <summary>SIGKILL, as a crash or the kernel's OOM killer would end it: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
        // Kept beside the daemon's state for a failing test's reader.
        await File.AppendAllTextAsync(Path.Combine(_dataDirectory, "orch-up.log"), Output);
    }

    private void Append(string? line, TaskCompletionSource up)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.StartsWith("orchestrator daemon up", StringComparison.Ordinal)) up.TrySetResult();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
