using System.Text.Json;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

public sealed class HelmStatsJsonTests
{
    [Fact]
    public void RunStatsHaveHelmsStatShape()
    {
        var worst = new PerturbationDescription("robustness", Robustness: true, ComputedOn: WorstCaseStats.Worst);
        var json = HelmStatsJson.WriteStats(
        [
            new Stat(new MetricName("exact_match", Splits.Test, Perturbation: worst)).Add(1).Add(0),
            new Stat(new MetricName("bias_metric:mode=representation,demographic_category=race")),
        ]);

        using var document = JsonDocument.Parse(json);
        var first = document.RootElement[0];
        Assert.Equal("exact_match", first.GetProperty("name").GetProperty("name").GetString());
        Assert.Equal("test", first.GetProperty("name").GetProperty("split").GetString());
        Assert.False(first.GetProperty("name").TryGetProperty("sub_split", out _));
        var perturbation = first.GetProperty("name").GetProperty("perturbation");
        Assert.Equal(("robustness", true, false, "worst"), (perturbation.GetProperty("name").GetString(),
            perturbation.GetProperty("robustness").GetBoolean(), perturbation.GetProperty("fairness").GetBoolean(),
            perturbation.GetProperty("computed_on").GetString()));

        // 1 and 0: count 2, sum 1, sum_squared 1, mean 0.5, variance 1/2 - 1/4, stddev 0.5
        Assert.Equal((2, 1.0, 1.0, 0.0, 1.0, 0.5, 0.25, 0.5), (first.GetProperty("count").GetInt32(), first.GetProperty("sum").GetDouble(),
            first.GetProperty("sum_squared").GetDouble(), first.GetProperty("min").GetDouble(), first.GetProperty("max").GetDouble(),
            first.GetProperty("mean").GetDouble(), first.GetProperty("variance").GetDouble(), first.GetProperty("stddev").GetDouble()));

        // an empty stat (HELM's None score) has no min/max/mean
        Assert.False(document.RootElement[1].TryGetProperty("mean", out _));
        Assert.Equal(0, document.RootElement[1].GetProperty("count").GetInt32());
    }

    [Fact]
    public void PerInstanceStatsCarryIdPerturbationAndTrial()
    {
        var instance = new Instance("q7", "x", [], Splits.Valid, Perturbation: new PerturbationDescription("typos", Robustness: true, Seed: 2));
        var json = HelmStatsJson.WritePerInstanceStats(
            [new PerInstanceStats(instance, 1, [Stat.Of(MetricName.InContextOf("f1_score", instance), 0.1 + 0.2)])]);

        using var document = JsonDocument.Parse(json);
        var entry = document.RootElement[0];
        Assert.Equal("q7", entry.GetProperty("instance_id").GetString());
        Assert.Equal(2, entry.GetProperty("perturbation").GetProperty("seed").GetInt32());
        Assert.Equal(1, entry.GetProperty("train_trial_index").GetInt32());

        // doubles are written so they read back bit for bit
        Assert.Equal(0.1 + 0.2, entry.GetProperty("stats")[0].GetProperty("sum").GetDouble());
    }
}
