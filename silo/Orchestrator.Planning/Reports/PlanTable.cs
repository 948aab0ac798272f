using System.Globalization;
using System.Text;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Reports;

/// <summary>The plain-text table <c>orch plan</c> prints: the best plan and its alternatives, the best plan's time breakdown, and why other layouts were rejected.</summary>
public static class PlanTable
{
    private static readonly string[] Header =
        ["#", "tensor", "pipe", "data", "ctx", "expert", "virt", "micro", "recompute", "seq-par", "zero", "iter s", "model TF/s", "hw TF/s", "MFU", "mem GiB", "bubble"];

    /// <summary>Renders a search result.</summary>
    public static string Render(PlanningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        AppendPlans(text, [result.Best, .. result.Alternatives]);
        AppendBreakdown(text, result.Best);
        if (result.RejectionCounts.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"evaluated {result.Evaluated} candidates that fit; rejected:");
            foreach (var (reason, count) in result.RejectionCounts.OrderByDescending(r => r.Value))
                text.AppendLine(CultureInfo.InvariantCulture, $"  {reason,-36} {count,8}");
        }

        return text.ToString();
    }

    /// <summary>Renders one evaluated plan (a fixed layout).</summary>
    public static string Render(PlanEstimate plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        AppendPlans(text, [plan]);
        AppendBreakdown(text, plan);
        if (!plan.Memory.Fits)
            text.AppendLine(CultureInfo.InvariantCulture, $"does not fit: needs {plan.Memory.TotalGiB:F1} GiB per GPU, {plan.Memory.CapacityGiB:F1} GiB usable");
        return text.ToString();
    }

    private static void AppendPlans(StringBuilder text, IReadOnlyList<PlanEstimate> plans)
    {
        var rows = new List<string[]> { Header };
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            var layout = plan.Choice.Layout;
            var cost = plan.Cost;
            rows.Add(
            [
                i == 0 ? "best" : i.ToString(CultureInfo.InvariantCulture),
                Int(layout.Tensor), Int(layout.Pipeline), Int(layout.Data), Int(layout.Context), Int(layout.Expert), Int(layout.VirtualStages),
                Int(plan.Choice.MicroBatch), PlanJson.RecomputeName(plan.Choice.Recompute),
                plan.Choice.SequenceParallel ? "yes" : "no", plan.Choice.ShardOptimizer ? "1" : "0",
                Number(cost.IterationSeconds, "F3"), Number(cost.ModelTflopsPerGpu, "F1"), Number(cost.HardwareTflopsPerGpu, "F1"),
                Number(cost.Mfu * 100, "F1") + "%", Number(plan.Memory.TotalGiB, "F1"), Number(cost.BubbleFraction * 100, "F1") + "%",
            ]);
        }

        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c <= 0 || c == 8 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    private static void AppendBreakdown(StringBuilder text, PlanEstimate plan)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"breakdown of the best plan ({Number(plan.Cost.IterationSeconds, "F3")} s per iteration):");
        foreach (var (name, seconds) in plan.Cost.Breakdown.Parts())
        {
            if (seconds <= 0) continue;
            var share = seconds / plan.Cost.IterationSeconds * 100;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-24} {seconds,10:F3} s  {share,5:F1}%");
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
