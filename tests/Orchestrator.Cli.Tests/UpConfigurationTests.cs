using System.Net;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orch up</c> applies its configuration in layers: a <c>--config</c> JSON file, then <c>Orchestrator__*</c>
/// environment variables, then flags; and refuses a bad file or value with a message naming it.
/// </summary>
public sealed class UpConfigurationTests
{
    private static string WriteConfig(string json)
    {
        var path = Path.Combine(Orch.TemporaryDirectory(), "orchestrator.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task File_environment_and_flags_all_apply_to_a_running_daemon()
    {
        var data = Orch.TemporaryDirectory();
        var (silo, gateway, metrics) = (Orch.FreePort(), Orch.FreePort(), Orch.FreePort());
        // The file sets the metrics endpoint and a gateway port the flag overrides; the environment sets the expected silos.
        var config = WriteConfig($$"""
            { "Orchestrator": { "MetricsHost": "127.0.0.1", "MetricsPort": {{metrics}}, "GatewayPort": 1, "SiloPort": {{silo}},
                                "ExpectedSilos": 2, "LocalDevices": 3, "DataDirectory": "{{data.Replace("\\", "\\\\")}}" } }
            """);
        Environment.SetEnvironmentVariable("Orchestrator__ExpectedSilos", "5");
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var up = CliApp.RunAsync(["up", "--config", config, "--gateway-port", gateway.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, new StringWriter(), stop.Token);
        try
        {
            using var http = new HttpClient();
            var text = "";
            for (var i = 0; i < 240 && !text.Contains("orchestrator_gpus{state=\"free\",gpu_type=\"cpu\"} 3"); i++)
            {
                await Task.Delay(500);
                Assert.False(up.IsCompleted, $"orch up ended early: {output}");
                try { text = await http.GetStringAsync($"http://127.0.0.1:{metrics}/metrics"); }
                catch (HttpRequestException) { }
            }

            Assert.Contains("orchestrator_gpus{state=\"free\",gpu_type=\"cpu\"} 3", text);   // file: LocalDevices
            Assert.Contains("orchestrator_silos_expected 5", text);                          // environment over file
            Assert.Contains($"gateway 127.0.0.1:{gateway}", output.ToString());              // flag over file
            Assert.Contains($"data {data}", output.ToString());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{metrics}/readyz")).StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Orchestrator__ExpectedSilos", null);
            await stop.CancelAsync();
            Assert.Equal(0, await up);
        }
    }

    [Fact]
    public async Task A_missing_or_malformed_config_file_or_a_bad_value_is_refused_by_name()
    {
        var missing = await Orch.RunAsync("up", "--config", "/nonexistent/orchestrator.json");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("--config: file '/nonexistent/orchestrator.json' does not exist", missing.Error);

        var malformed = await Orch.RunAsync("up", "--config", WriteConfig("{ \"Orchestrator\": { "));
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("is not valid JSON", malformed.Error);

        var badValue = await Orch.RunAsync("up", "--config", WriteConfig("{ \"Orchestrator\": { \"SiloPort\": \"eleven\" } }"));
        Assert.Equal(1, badValue.Exit);
        Assert.Contains("Orchestrator:SiloPort", badValue.Error);

        var badHost = await Orch.RunAsync("up", "--metrics-host", "not-an-address", "--metrics-port", Orch.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, badHost.Exit);
        Assert.Contains("metrics host 'not-an-address' must be an IP address", badHost.Error);
    }
}
