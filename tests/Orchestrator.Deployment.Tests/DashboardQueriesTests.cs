using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Deployment.Tests;

/// <summary>
/// End to end: a real Prometheus scrapes a real silo on loopback while one job succeeds and another checkpoints, loses
/// its worker and recovers from its checkpoint. Then every panel query of every dashboard in the chart returns data
/// through Prometheus' HTTP API, and every alert expression evaluates (and its signal returns data).
/// </summary>
public sealed partial class DashboardQueriesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>What Grafana substitutes into the panels: every job and queue; a window covering the whole test.</summary>
    private static string Substitute(string expr) => expr.Replace("$__rate_interval", "5m").Replace("$job", ".*").Replace("$queue", ".*");

    [Fact]
    public async Task Every_dashboard_panel_and_alert_query_returns_data_from_a_silo_that_ran_a_recovery()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("dashboards"));
        options.MetricsPort = FreePorts.Next();
        options.ExpectedSilos = 2;   // one silo runs: the fewer-silos alert has something to say
        using var host = await DaemonHost.StartAsync(options);
        await using var prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{options.MetricsPort}"]);
        await using var client = await DaemonHost.ConnectAsync(options);

        var finished = (await client.SubmitAsync(TestJobs.Tiny("finished", steps: 10))).Id;
        await JobWaits.UntilStateAsync(client.Grains, finished, JobState.Succeeded, Patience);

        var spec = TestJobs.Tiny("recovering", steps: 1_000_000) with { Checkpoint = new CheckpointSpec(EverySteps: 5) };
        var id = (await client.SubmitAsync(spec)).Id;
        await JobWaits.UntilAsync(client.Grains, id, j => j.Progress is { Step: > 12 } && j.Checkpoints is { Count: > 0 }, Patience);
        System.Diagnostics.Process.GetProcessById(Assert.Single(WorkerProcesses.Of(id))).Kill();
        await JobWaits.UntilAsync(client.Grains, id, j => j.Goodput is { Recoveries: 1 } && j.State == JobState.Running && j.Checkpoints!.Any(c => c.Attempt == 2), Patience);
        try
        {
            // Let Prometheus see the recovered attempt for a few scrapes (rates need two samples in their window).
            await UntilAsync(prometheus, "orchestrator_recoveries_total > 0 and on() orchestrator_job_restarts > 0 and on() orchestrator_jobs{state=\"succeeded\"} > 0");
            await Task.Delay(TimeSpan.FromSeconds(5));

            var failures = new List<string>();
            var dashboards = Directory.GetFiles(Tools.Repository("helm-chart/dashboards"), "*.json");
            Assert.Equal(5, dashboards.Length);
            var panels = 0;
            foreach (var file in dashboards)
            {
                using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
                foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    panels++;
                    var expr = Substitute(target.GetProperty("expr").GetString()!);
                    var (success, result, error) = await prometheus.QueryAsync(expr);
                    if (!success || result.Count == 0)
                        failures.Add($"{Path.GetFileName(file)} / {panel.GetProperty("title").GetString()}: {expr} -> {(success ? "no data" : error)}");
                }
            }

            var rules = await Chart.AlertRuleFileAsync();
            var alerts = 0;
            foreach (Match rule in AlertRule().Matches(rules))
            {
                alerts++;
                var (exprOk, _, exprError) = await prometheus.QueryAsync(rule.Groups["expr"].Value);
                if (!exprOk) failures.Add($"alert {rule.Groups["name"].Value}: {rule.Groups["expr"].Value} -> {exprError}");
                var (signalOk, signal, signalError) = await prometheus.QueryAsync(rule.Groups["query"].Value);
                if (!signalOk || signal.Count == 0)
                    failures.Add($"alert {rule.Groups["name"].Value} signal: {rule.Groups["query"].Value} -> {(signalOk ? "no data" : signalError)}");
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {panels} panel queries and {alerts} alerts failed:\n{string.Join("\n", failures)}");
            Assert.True(panels >= 30, $"only {panels} panel queries");
            Assert.Equal(7, alerts);

            // With 1 silo running and 2 expected, the fewer-silos expression fires.
            var (_, fewer, _) = await prometheus.QueryAsync("max(orchestrator_silos_expected) - max(orchestrator_silos) > 0");
            Assert.Equal("1", Assert.Single(fewer).GetProperty("value")[1].GetString());
        }
        finally
        {
            await client.CancelAsync(id);
            await host.StopAsync();
        }
    }

    private static async Task UntilAsync(PrometheusServer prometheus, string query)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var (success, result, error) = await prometheus.QueryAsync(query);
            Assert.True(success, error);
            if (result.Count > 0) return;
            await Task.Delay(500);
        }

        throw new TimeoutException($"Prometheus never returned data for {query}");
    }

    // In the rendered rule file every alert is "- alert: NAME", then "expr: ...", and an annotation "query: ...".
    [GeneratedRegex(@"alert: (?<name>\w+)\s+expr: (?<expr>[^\n]+)(?:(?!alert:).)*?query: (?<query>[^\n]+)", RegexOptions.Singleline)]
    private static partial Regex AlertRule();
}
