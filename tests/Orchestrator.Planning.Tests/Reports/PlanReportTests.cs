using System.Text.Json.Nodes;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Reports;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Reports;

public sealed class PlanReportTests
{
    private static readonly PlanningResult Result = LayoutSearch.Search(
        new PlanningRequest(new TransformerModel(24, 2048, 16, 2048, 51200), new TrainingShape(256), PlanningCluster.ForGpuType("h100-80gb", 16)) { Alternatives = 3 });

    private static readonly string[] PlanKeys =
    [
        "tensor", "pipeline", "data", "expert", "virtualStages", "microBatch", "recompute", "sequenceParallel", "zero",
        "iterationSeconds", "modelTflopsPerGpu", "hardwareTflopsPerGpu", "mfu", "memoryGiBPerGpu", "bubbleFraction", "breakdown",
    ];

    [Fact]
    public void Json_has_best_and_alternatives_with_every_field_of_orch_plan()
    {
        var json = JsonNode.Parse(PlanJson.Write(Result))!.AsObject();
        var best = json["best"]!.AsObject();
        Assert.All(PlanKeys, key => Assert.True(best.ContainsKey(key), key));
        var alternatives = json["alternatives"]!.AsArray();
        Assert.Equal(3, alternatives.Count);
        Assert.All(alternatives, a => Assert.All(PlanKeys, key => Assert.True(a!.AsObject().ContainsKey(key), key)));

        Assert.Equal(Result.Best.Choice.Layout.Tensor, best["tensor"]!.GetValue<int>());
        Assert.Equal(Result.Best.IterationSeconds, best["iterationSeconds"]!.GetValue<double>(), 12);
        Assert.Equal(PlanJson.RecomputeName(Result.Best.Choice.Recompute), best["recompute"]!.GetValue<string>());
        Assert.Equal(Result.Best.Choice.ShardOptimizer ? 1 : 0, best["zero"]!.GetValue<int>());
        var breakdownSum = best["breakdown"]!.AsObject().Sum(p => p.Value!.GetValue<double>());
        Assert.Equal(Result.Best.IterationSeconds, breakdownSum, 9);
    }

    [Fact]
    public void A_fixed_layout_is_written_in_the_same_shape_with_no_alternatives()
    {
        var json = JsonNode.Parse(PlanJson.Write(Result.Alternatives[0]))!.AsObject();
        Assert.Empty(json["alternatives"]!.AsArray());
        Assert.Equal(Result.Alternatives[0].Cost.Mfu, json["best"]!["mfu"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void The_table_lists_the_plans_the_breakdown_and_the_rejections()
    {
        var text = PlanTable.Render(Result);
        var lines = text.Split('\n');
        Assert.StartsWith("#", lines[0]);
        Assert.Contains("iter s", lines[0]);
        Assert.StartsWith("best", lines[1]);
        Assert.Contains("breakdown of the best plan", text);
        Assert.Contains("gemm", text);
        foreach (var reason in Result.RejectionCounts.Keys) Assert.Contains(reason, text);
        Assert.Equal(5, lines.TakeWhile(l => l.Length > 0).Count());
    }
}
