using System.Globalization;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Cli.Output;

/// <summary>The per-queue table of <c>orch queue</c>: quota, usage, borrowed, waiting and running per queue.</summary>
internal static class QueueText
{
    public static void Write(TextWriter output, IReadOnlyList<QueueUsage> queues, IReadOnlyList<PriorityClassSpec> classes)
    {
        if (queues.Count > 0)
        {
            Tables.Write(output, ["QUEUE", "COHORT", "WEIGHT", "QUOTA", "USAGE", "BORROWED", "WAITING", "RUNNING"], queues.Select(q => (IReadOnlyList<string>)
            [
                q.Name, q.Cohort ?? "-", q.Defined ? q.FairShareWeight.ToString("0.##", CultureInfo.InvariantCulture) : "-",
                q.Defined ? PerType(q.Types, t => t.Nominal ?? 0) : "(no Queue document)",
                PerType(q.Types, t => t.Used), PerType(q.Types, t => t.Borrowed),
                q.Waiting.ToString(CultureInfo.InvariantCulture), q.Running.ToString(CultureInfo.InvariantCulture),
            ]));
        }

        if (classes.Count > 0)
            output.WriteLine("priority classes: " + string.Join(", ", classes.OrderByDescending(c => c.Value).Select(c =>
                $"{c.Name}={c.Value.ToString(CultureInfo.InvariantCulture)} ({c.PreemptionPolicy})")));
    }

    /// <summary>"h100:8 a100:2.25" (shares count by their fraction), or "0" when the queue has no device type at all.</summary>
    private static string PerType(IReadOnlyList<QueueTypeUsage> types, Func<QueueTypeUsage, double> value) =>
        types.Count == 0 ? "0" : string.Join(" ", types.Select(t => $"{t.GpuType}:{value(t).ToString("0.###", CultureInfo.InvariantCulture)}"));
}
