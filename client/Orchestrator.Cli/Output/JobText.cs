using System.Globalization;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Output;

/// <summary>The human view of one job: summary, plan and placement, attempts, events.</summary>
internal static class JobText
{
    public static void Write(TextWriter output, JobView job)
    {
        var spec = job.Spec;
        var m = spec.Model;
        output.WriteLine($"Job:       {job.Id}");
        output.WriteLine($"State:     {job.State}{(job.Message is null ? "" : $" ({job.Message})")}");
        output.WriteLine($"Queue:     {spec.Metadata.Queue} (priority {spec.Metadata.Priority})");
        if (spec.TimeLimit is { } limit) output.WriteLine($"Limit:     {limit} running time (summed over attempts)");
        if (spec.DependsOn is { Count: > 0 } dependencies) output.WriteLine($"After:     {string.Join(", ", dependencies)} (each must succeed first)");
        output.WriteLine($"Model:     {m.Family} {m.Layers} layers, hidden {m.Hidden}, {m.Heads} heads, sequence {m.SequenceLength}, vocabulary {m.Vocabulary}"
            + (m.Moe is { } moe ? $", MoE {moe.Experts} experts top-{moe.TopK} every {moe.Every}" : ""));
        output.WriteLine($"Training:  {spec.Training.Steps} steps, global batch {spec.Training.GlobalBatch}, {spec.Training.Optimizer.Name} lr {spec.Training.Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)}, data {spec.Data.Source}");
        output.WriteLine($"Resources: {spec.Resources.Gpus} x {spec.Resources.GpuType ?? "any"} (min {spec.Resources.EffectiveMinGpus}); parallelism {(spec.Parallelism.Auto ? "auto" : Layout(spec.Parallelism))}");
        if (job.Progress is { } p)
            output.WriteLine($"Progress:  step {p.Step}/{p.TotalSteps}, loss {p.Loss:F4} (first {p.FirstLoss:F4}), {p.TokensPerSecond:F0} tokens/s, {p.StepSeconds * 1000:F0} ms/step"
                + (p.ModelFlopsUtilization is { } mfu ? $", MFU {mfu:P1}" : ""));
        if (job.Goodput is { WallSeconds: > 0 } g)
            output.WriteLine($"Goodput:   {g.Ratio:P1} ({g.UsefulSeconds:F1} s useful of {g.WallSeconds:F1} s); lost work {g.StepsRedone} step(s), {g.RedoneSeconds:F1} s redone; "
                + $"checkpoint stalls {g.StallSeconds:F2} s; {g.Recoveries} recover{(g.Recoveries == 1 ? "y" : "ies")}");
        if (job.CurrentAttempt is { } current)
        {
            var plan = current.Plan;
            output.WriteLine($"Plan:      t{plan.Tensor}·{(plan.Context > 1 ? $"c{plan.Context}·" : "")}p{plan.Pipeline}·d{plan.Data}{(plan.Expert > 1 ? $"·e{plan.Expert}" : "")}{(plan.VirtualStages > 1 ? $"·v{plan.VirtualStages}" : "")}, micro-batch {plan.MicroBatch}, {plan.Schedule}, recompute {plan.Recompute} ({plan.Source})");
            output.WriteLine($"Placement: {string.Join(", ", current.Ranks.Select(r => $"{r.Rank}→{r.DeviceId}"))}");
        }

        output.WriteLine();
        Tables.Write(output, ["ATTEMPT", "OUTCOME", "STARTED", "ENDED", "STEPS", "REASON"], job.Attempts.Select(a => (IReadOnlyList<string>)
        [
            a.Number.ToString(CultureInfo.InvariantCulture), a.Outcome.ToString(), a.StartedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            a.EndedAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-", $"{a.StartStep}→{a.LastStep}", a.Reason ?? "",
        ]));
        if (job.Checkpoints is { Count: > 0 } checkpoints)
            Tables.Write(output, ["CHECKPOINT", "ATTEMPT", "LAYOUT", "COMMITTED", "SIZE", "NEW", "STALL"], checkpoints.Select(c => (IReadOnlyList<string>)
            [
                $"step {c.Step}", c.Attempt.ToString(CultureInfo.InvariantCulture), c.Layout, c.CommittedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                Size(c.LogicalBytes), Size(c.WrittenBytes), $"{c.StallSeconds * 1000:F0} ms",
            ]));
        Tables.Write(output, ["#", "TIME", "FROM", "TO", "REASON"], job.Events.Select(e => (IReadOnlyList<string>)
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
            e.From.ToString(), e.To == e.From ? "" : e.To.ToString(), e.Reason,
        ]));
    }

    public static string Layout(ParallelismSpec p) =>
        $"t{p.Tensor}·" + (p.Context > 1 ? $"c{p.Context}·" : "") + $"p{p.Pipeline}·d{p.Data}" + (p.Expert > 1 ? $"·e{p.Expert}" : "") + (p.VirtualStages > 1 ? $"·v{p.VirtualStages}" : "");

    /// <summary>A byte count in binary units.</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F1} MiB" : $"{bytes / 1024.0:F1} KiB";

    public static string Event(JobEvent e) =>
        $"{e.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {(e.From == e.To ? e.To.ToString() : $"{e.From} → {e.To}")}: {e.Reason}";
}
