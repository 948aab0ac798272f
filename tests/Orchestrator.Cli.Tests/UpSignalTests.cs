using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orch up</c> stops on SIGTERM, the signal Kubernetes sends every pod it stops: before, the host's console lifetime
/// swallowed the signal while the command waited on a token nothing cancelled, and the daemon ran on until SIGKILL.
/// </summary>
public sealed class UpSignalTests
{
    [Fact]
    public async Task Orch_up_leaves_cleanly_on_SIGTERM()
    {
        var (silo, gateway, metrics) = (Orch.FreePort(), Orch.FreePort(), Orch.FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "orch.dll"), "up", "--data-dir", Orch.TemporaryDirectory(),
                     "--silo-port", Text(silo), "--gateway-port", Text(gateway), "--metrics-port", Text(metrics),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var daemon = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        daemon.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        daemon.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            var healthy = false;
            for (var i = 0; i < 240 && !healthy && !daemon.HasExited; i++)
            {
                await Task.Delay(500);
                try { healthy = (await http.GetAsync($"http://127.0.0.1:{metrics}/healthz")).IsSuccessStatusCode; }
                catch (HttpRequestException) { }
            }

            Assert.True(healthy, $"orch up never became healthy: {output}");
            using (var kill = Process.Start("kill", ["-TERM", Text(daemon.Id)])) await kill.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await daemon.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"orch up still ran 60 s after SIGTERM: {output}");
            }

            Assert.Equal(0, daemon.ExitCode);
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
