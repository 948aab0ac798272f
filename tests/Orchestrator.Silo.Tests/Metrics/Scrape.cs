using System.Diagnostics;

namespace Orchestrator.Silo.Tests.Metrics;

/// <summary>Reads a silo's HTTP host and lints exposition text with promtool.</summary>
internal static class Scrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static string Promtool =>
        Environment.GetEnvironmentVariable("ORCH_PROMTOOL") is { Length: > 0 } path ? path : "promtool";

    public static Task<string> MetricsAsync(int port) => Http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

    public static async Task<(int Status, string Body)> GetAsync(int port, string path)
    {
        using var response = await Http.GetAsync($"http://127.0.0.1:{port}{path}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds on the text, or fails after <paramref name="patience"/>.</summary>
    public static async Task<string> UntilAsync(int port, Func<string, bool> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = await MetricsAsync(port);
            if (condition(text)) return text;
            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"/metrics never showed {what}; last scrape:\n{text}");
    }

    /// <summary>promtool check metrics' complaints about <paramref name="text"/> (empty when it is clean).</summary>
    public static async Task<(int Exit, string Complaints)> CheckAsync(string text)
    {
        var check = Process.Start(new ProcessStartInfo(Promtool, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await check.StandardInput.WriteAsync(text);
        check.StandardInput.Close();
        var complaints = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        return (check.ExitCode, complaints);
    }
}
