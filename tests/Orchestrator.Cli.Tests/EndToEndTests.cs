using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Cli.Hosting;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Cli.Tests;

/// <summary>The README's main command and the read commands, end to end with a real daemon and worker.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Orch_run_on_the_example_succeeds_and_the_job_stays_readable_after_the_daemon_restarts()
    {
        var data = Orch.TemporaryDirectory();
        var gatewayPort = Orch.FreePort();
        var gateway = $"127.0.0.1:{gatewayPort}";

        var run = await Orch.RunAsync("run", Orch.RepositoryFile("examples/gpt-tiny.yaml"), "--gateway", gateway, "--data-dir", data);
        Assert.True(run.Exit == 0, run.Out + run.Error);
        Assert.Contains("starting one in this process", run.Out);
        Assert.Contains("Running → Succeeded", run.Out);
        var summary = run.Out.Split('\n').Single(l => l.Contains(": Succeeded in"));
        var id = summary[..summary.IndexOf(':')];

        // The in-process daemon stopped with `run`; a daemon on the same data folder still knows the job.
        using var daemon = await Daemon.StartAsync(new OrchestratorSiloOptions
        {
            DataDirectory = data, GatewayPort = gatewayPort, SiloPort = Orch.FreePort(), MetricsPort = 0, WorkerPath = Daemon.WorkerPath(),
        }, LogLevel.Warning, CancellationToken.None);

        var job = await Orch.RunAsync("job", id, "--gateway", gateway);
        Assert.Equal(0, job.Exit);
        Assert.Contains("Starting", job.Out);
        Assert.Contains("finished 120 steps", job.Out);
        Assert.Contains("Goodput:", job.Out);
        Assert.Contains("CHECKPOINT", job.Out);

        // The example checkpoints at the Young/Daly interval and always at its last step; the store lists them.
        var checkpoints = await Orch.RunAsync("checkpoints", id, "-o", "json", "--gateway", gateway);
        Assert.True(checkpoints.Exit == 0, checkpoints.Out + checkpoints.Error);
        var stored = JsonDocument.Parse(checkpoints.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(120, stored[^1].GetProperty("step").GetInt64());
        Assert.All(stored, c => Assert.Equal("t1·p1·d1", c.GetProperty("layout").GetString()));
        Assert.InRange(stored.Count, 1, 3);
        var table = await Orch.RunAsync("checkpoints", id, "--gateway", gateway);
        Assert.Contains("120", table.Out);
        Assert.Contains("ok", table.Out);
        var unknown = await Orch.RunAsync("checkpoints", "no-such-job", "--gateway", gateway);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no-such-job", unknown.Error);

        var json = await Orch.RunAsync("job", id, "-o", "json", "--gateway", gateway);
        using var parsed = JsonDocument.Parse(json.Out);
        Assert.Equal("succeeded", parsed.RootElement.GetProperty("state").GetString());
        Assert.Equal(120, parsed.RootElement.GetProperty("progress").GetProperty("step").GetInt64());
        var progress = parsed.RootElement.GetProperty("progress");
        Assert.True(progress.GetProperty("loss").GetDouble() < progress.GetProperty("firstLoss").GetDouble());

        var yaml = await Orch.RunAsync("jobs", "-o", "yaml", "--gateway", gateway);
        Assert.Contains($"id: {id}", yaml.Out);
        var cluster = await Orch.RunAsync("cluster", "--gateway", gateway);
        Assert.Contains("local", cluster.Out);
        var logs = await Orch.RunAsync("logs", id, "--rank", "0", "--gateway", gateway);
        Assert.Contains("step 120 loss", logs.Out);
        var queue = await Orch.RunAsync("queue", "-o", "json", "--gateway", gateway);
        Assert.Equal(0, JsonDocument.Parse(queue.Out).RootElement.GetProperty("waiting").GetArrayLength());
        await daemon.StopAsync();
    }

    [Fact]
    public async Task Read_commands_without_a_daemon_fail_with_one_clear_line()
    {
        var result = await Orch.RunAsync("jobs", "--gateway", $"127.0.0.1:{Orch.FreePort()}");
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: no control plane answers at", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
