using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Reports;

/// <summary>
/// The JSON of <c>orch plan -o json</c>: one object with <c>best</c> and <c>alternatives[]</c>, each plan as
/// <c>{tensor, pipeline, data, expert, virtualStages, microBatch, recompute, sequenceParallel, zero,
/// iterationSeconds, modelTflopsPerGpu, hardwareTflopsPerGpu, mfu, memoryGiBPerGpu, bubbleFraction, breakdown}</c>,
/// plus the rejection counts of the search.
/// </summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The search result as a JSON object.</summary>
    public static JsonObject ToJson(PlanningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var alternatives = new JsonArray();
        foreach (var plan in result.Alternatives) alternatives.Add(PlanToJson(plan));
        var rejections = new JsonObject();
        foreach (var (reason, count) in result.RejectionCounts.OrderBy(r => r.Key, StringComparer.Ordinal)) rejections[reason] = count;
        return new JsonObject
        {
            ["best"] = PlanToJson(result.Best),
            ["alternatives"] = alternatives,
            ["evaluated"] = result.Evaluated,
            ["rejections"] = rejections,
        };
    }

    /// <summary>A single evaluated plan (a fixed layout) in the same shape, with no alternatives.</summary>
    public static JsonObject ToJson(PlanEstimate plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new JsonObject { ["best"] = PlanToJson(plan), ["alternatives"] = new JsonArray() };
    }

    /// <summary>The search result as JSON text.</summary>
    public static string Write(PlanningResult result, bool indented = true) => ToJson(result).ToJsonString(indented ? Indented : null);

    /// <summary>A single evaluated plan as JSON text.</summary>
    public static string Write(PlanEstimate plan, bool indented = true) => ToJson(plan).ToJsonString(indented ? Indented : null);

    /// <summary>One plan as a JSON object.</summary>
    public static JsonObject PlanToJson(PlanEstimate plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var choice = plan.Choice;
        var layout = choice.Layout;
        var cost = plan.Cost;
        var breakdown = new JsonObject();
        foreach (var (name, seconds) in cost.Breakdown.Parts()) breakdown[name] = seconds;
        return new JsonObject
        {
            ["tensor"] = layout.Tensor,
            ["pipeline"] = layout.Pipeline,
            ["data"] = layout.Data,
            ["context"] = layout.Context,
            ["gpus"] = layout.WorldSize,
            ["expert"] = layout.Expert,
            ["virtualStages"] = layout.VirtualStages,
            ["microBatch"] = choice.MicroBatch,
            ["recompute"] = RecomputeName(choice.Recompute),
            ["sequenceParallel"] = choice.SequenceParallel,
            ["zero"] = choice.ShardOptimizer ? 1 : 0,
            ["schedule"] = ScheduleName(choice.Schedule),
            ["microBatches"] = cost.MicroBatches,
            ["iterationSeconds"] = cost.IterationSeconds,
            ["modelTflopsPerGpu"] = cost.ModelTflopsPerGpu,
            ["hardwareTflopsPerGpu"] = cost.HardwareTflopsPerGpu,
            ["mfu"] = cost.Mfu,
            ["memoryGiBPerGpu"] = plan.Memory.TotalGiB,
            ["fitsMemory"] = plan.Memory.Fits,
            ["bubbleFraction"] = cost.BubbleFraction,
            ["breakdown"] = breakdown,
        };
    }

    /// <summary>The job-spec spelling of a recomputation mode: <c>none</c>, <c>selective</c> or <c>full</c>.</summary>
    public static string RecomputeName(RecomputeMode mode) => mode switch
    {
        RecomputeMode.Selective => "selective",
        RecomputeMode.Full => "full",
        _ => "none",
    };

    /// <summary>The job-spec spelling of a schedule: <c>gpipe</c>, <c>1f1b</c>, <c>interleaved</c> or <c>pipedream-2bw</c>.</summary>
    public static string ScheduleName(PipelineSchedule schedule) => schedule switch
    {
        PipelineSchedule.GPipe => "gpipe",
        PipelineSchedule.Interleaved => "interleaved",
        PipelineSchedule.PipeDream2BW => "pipedream-2bw",
        _ => "1f1b",
    };
}
