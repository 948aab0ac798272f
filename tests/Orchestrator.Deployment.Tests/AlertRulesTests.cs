using System.Text.RegularExpressions;

namespace Orchestrator.Deployment.Tests;

/// <summary>The PrometheusRule's alerts pass promtool check rules, and promtool's unit tests cover every one of them.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public async Task The_rendered_rules_pass_promtool_check_and_unit_tests_for_every_alert()
    {
        var rules = await Chart.AlertRuleFileAsync();
        var directory = Tools.TemporaryDirectory("rules");
        File.WriteAllText(Path.Combine(directory, "rules.yaml"), rules);
        var tests = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "alerts-test.yaml"));
        File.WriteAllText(Path.Combine(directory, "alerts-test.yaml"), tests);

        var check = await Tools.RunAsync(Tools.Promtool, ["check", "rules", Path.Combine(directory, "rules.yaml")]);
        Assert.True(check.Exit == 0, check.Out + check.Error);

        var alerts = AlertName().Matches(rules).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(
            ["OrchestratorCheckpointStallOverBudget", "OrchestratorDevicesFailed", "OrchestratorFewerSilosThanConfigured", "OrchestratorHeartbeatLagHigh",
             "OrchestratorJobRestartingRepeatedly", "OrchestratorQueueWaitHigh", "OrchestratorSilosDown"],
            alerts.Order(StringComparer.Ordinal));
        var tested = TestedAlert().Matches(tests).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(alerts.Except(tested));

        var unit = await Tools.RunAsync(Tools.Promtool, ["test", "rules", Path.Combine(directory, "alerts-test.yaml")]);
        Assert.True(unit.Exit == 0, unit.Out + unit.Error);
        Assert.Contains("SUCCESS", unit.Out + unit.Error);
    }

    [Fact]
    public async Task Thresholds_come_from_the_values()
    {
        var rules = await Chart.AlertRuleFileAsync("prometheusRule.thresholds.checkpointStallSeconds=12", "prometheusRule.thresholds.restartWindow=2h");
        Assert.Contains("max by (job, queue) (orchestrator_job_checkpoint_stall_seconds) > 12", rules);
        Assert.Contains("max_over_time(orchestrator_job_restarts[2h])", rules);
    }

    [GeneratedRegex(@"alert: (\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"alertname: (\w+)")]
    private static partial Regex TestedAlert();
}
