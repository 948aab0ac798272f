using System.Diagnostics;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Metrics;

/// <summary>The silo's /metrics endpoint serves the documented series, and promtool accepts the exposition.</summary>
public sealed class MetricsEndpointTests
{
    private static string Promtool =>
        Environment.GetEnvironmentVariable("ORCH_PROMTOOL") is { Length: > 0 } path ? path : "promtool";

    [Fact]
    public async Task Metrics_are_served_and_pass_promtool_check_metrics()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("metrics"));
        options.MetricsPort = FreePorts.Next();
        using var host = await DaemonHost.StartAsync(options);
        await using (var client = await DaemonHost.ConnectAsync(options))
        {
            var id = (await client.SubmitAsync(TestJobs.Tiny("metrics", steps: 10))).Id;
            await JobWaits.UntilStateAsync(client.Grains, id, Contracts.Jobs.JobState.Succeeded, TimeSpan.FromMinutes(2));
        }

        using var http = new HttpClient();
        string text = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !text.Contains("orchestrator_jobs{state=\"succeeded\"} 1"))
        {
            text = await http.GetStringAsync($"http://127.0.0.1:{options.MetricsPort}/metrics");
            await Task.Delay(500);
        }

        foreach (var name in new[]
                 {
                     "orchestrator_gpus{", "orchestrator_jobs{state=\"succeeded\"} 1", "orchestrator_queue_length",
                     "orchestrator_scheduling_pass_duration_seconds_bucket", "orchestrator_placement_duration_seconds_bucket",
                     "orchestrator_heartbeat_lag_seconds_bucket", "orchestrator_training_step_duration_seconds_count",
                     "orchestrator_training_tokens_total",
                     // The job checkpointed (at least its last step) and succeeded once.
                     "orchestrator_checkpoint_stall_seconds_count", "orchestrator_checkpoint_deduplication_ratio",
                     "orchestrator_checkpoint_written_bytes_total", "orchestrator_job_goodput_ratio_count 1",
                 })
        {
            Assert.Contains(name, text);
        }

        Assert.Matches(@"orchestrator_checkpoints_committed_total [1-9]", text);

        var check = Process.Start(new ProcessStartInfo(Promtool, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await check.StandardInput.WriteAsync(text);
        check.StandardInput.Close();
        var complaints = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        Assert.True(check.ExitCode == 0, $"promtool check metrics failed:\n{complaints}");
        await host.StopAsync();
    }
}
