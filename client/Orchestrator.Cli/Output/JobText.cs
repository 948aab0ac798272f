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
        output.WriteLine($"Model:     {m.Family} {m.Layers} layers, hidden {m.Hidden}, {m.Heads} heads, sequence {m.SequenceLength}, vocabulary {m.Vocabulary}"
            + (m.Moe is { } moe ? $", MoE {moe.Experts} experts top-{moe.TopK} every {moe.Every}" : ""));
        output.WriteLine($"Training:  {spec.Training.Steps} steps, global batch {spec.Training.GlobalBatch}, {spec.Training.Optimizer.Name} lr {spec.Training.Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)}, data {spec.Data.Source}");
        output.WriteLine($"Resources: {spec.Resources.Gpus} x {spec.Resources.GpuType ?? "any"} (min {spec.Resources.EffectiveMinGpus}); parallelism {(spec.Parallelism.Auto ? "auto" : Layout(spec.Parallelism))}");
        if (job.Progress is { } p)
            output.WriteLine($"Progress:  step {p.Step}/{p.TotalSteps}, loss {p.Loss:F4} (first {p.FirstLoss:F4}), {p.TokensPerSecond:F0} tokens/s, {p.StepSeconds * 1000:F0} ms/step");
        if (job.CurrentAttempt is { } current)
        {
            var plan = current.Plan;
            output.WriteLine($"Plan:      t{plan.Tensor}·p{plan.Pipeline}·d{plan.Data}{(plan.Expert > 1 ? $"·e{plan.Expert}" : "")}{(plan.VirtualStages > 1 ? $"·v{plan.VirtualStages}" : "")}, micro-batch {plan.MicroBatch}, {plan.Schedule}, recompute {plan.Recompute} ({plan.Source})");
            output.WriteLine($"Placement: {string.Join(", ", current.Ranks.Select(r => $"{r.Rank}→{r.DeviceId}"))}");
        }

        output.WriteLine();
        Tables.Write(output, ["ATTEMPT", "OUTCOME", "STARTED", "ENDED", "STEPS", "REASON"], job.Attempts.Select(a => (IReadOnlyList<string>)
        [
            a.Number.ToString(CultureInfo.InvariantCulture), a.Outcome.ToString(), a.StartedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            a.EndedAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-", $"{a.StartStep}→{a.LastStep}", a.Reason ?? "",
        ]));
        Tables.Write(output, ["#", "TIME", "FROM", "TO", "REASON"], job.Events.Select(e => (IReadOnlyList<string>)
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
            e.From.ToString(), e.To == e.From ? "" : e.To.ToString(), e.Reason,
        ]));
    }

    public static string Layout(ParallelismSpec p) =>
        $"t{p.Tensor}·p{p.Pipeline}·d{p.Data}" + (p.Expert > 1 ? $"·e{p.Expert}" : "") + (p.VirtualStages > 1 ? $"·v{p.VirtualStages}" : "");

    public static string Event(JobEvent e) =>
        $"{e.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {(e.From == e.To ? e.To.ToString() : $"{e.From} → {e.To}")}: {e.Reason}";
}
