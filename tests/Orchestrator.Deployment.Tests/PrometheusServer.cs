using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Deployment.Tests;

/// <summary>
/// A real Prometheus server (Debian's package, unpacked by scripts/install-test-tools.sh) on a free loopback port,
/// scraping the given targets every second; killed when disposed.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets)
    {
        var directory = Tools.TemporaryDirectory("prometheus");
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            scrape_configs:
              - job_name: orchestrator
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]
            """);
        var port = Silo.Tests.Integration.FreePorts.Next();
        var start = new ProcessStartInfo(Tools.Prometheus)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await server._http.GetAsync("-/ready")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(process.HasExited, "prometheus exited at start-up");
            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("prometheus did not become ready");
    }

    /// <summary>An instant query: the result vector, or the error Prometheus gave.</summary>
    public async Task<(bool Success, IReadOnlyList<JsonElement> Result, string Error)> QueryAsync(string query)
    {
        using var response = await _http.PostAsync("api/v1/query", new FormUrlEncodedContent([new("query", query)]));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "success") return (false, [], body.GetProperty("error").GetString() ?? "");
        return (true, body.GetProperty("data").GetProperty("result").EnumerateArray().ToList(), "");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
