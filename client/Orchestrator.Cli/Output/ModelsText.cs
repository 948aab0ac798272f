using System.Globalization;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Cli.Output;

/// <summary>How <c>orch models</c> prints the lineage graph, a version, a diff and a cascade.</summary>
internal static class ModelsText
{
    public static void WriteTree(TextWriter output, ModelRegistryView registry)
    {
        if (registry.Versions.Count == 0)
        {
            output.WriteLine("no model versions registered (a training job registers its finished checkpoint; see 'orch models register')");
            return;
        }

        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in registry.Versions) depth[v.Reference] = v.Parent is { } p && depth.TryGetValue(p, out var d) ? d + 1 : 0;
        Tables.Write(output, ["MODEL", "VERSION", "PARENT", "EDGE", "STEP", "SIZE", "UNIQUE", "TAGS", "SCORES"], registry.Versions.Select(v => (IReadOnlyList<string>)
        [
            new string(' ', 2 * depth[v.Reference]) + (depth[v.Reference] > 0 ? "└ " : "") + v.Name, v.Version.ToString(CultureInfo.InvariantCulture),
            v.Parent ?? "-", Edge(v), v.Step.ToString(CultureInfo.InvariantCulture),
            v.Problem is null ? JobText.Size(v.LogicalBytes) : "unreadable", JobText.Size(v.UniqueBytes), string.Join(",", v.Tags), Scores(v.Scores),
        ]));
        output.WriteLine();
        Tables.Write(output, ["FAMILY", "VERSIONS", "LOGICAL", "STORED", "RATIO"], registry.Families.Select(f => (IReadOnlyList<string>)
        [
            f.Root, f.Versions.ToString(CultureInfo.InvariantCulture), JobText.Size(f.LogicalBytes), JobText.Size(f.StoredBytes), f.Ratio.ToString("F2", CultureInfo.InvariantCulture) + "x",
        ]));
    }

    public static void WriteVersion(TextWriter output, ModelVersionView v, IEnumerable<LineageEdge> edges)
    {
        output.WriteLine($"Model {v.Reference}{(v.Tags.Count > 0 ? $" ({string.Join(", ", v.Tags)})" : "")}");
        output.WriteLine($"  checkpoint: job {v.Job}, step {v.Step}, attempt {v.Attempt}, layout {v.Layout}{(v.External ? " (registered by hand)" : "")}");
        output.WriteLine($"  parent:     {(v.Parent is { } p ? $"{p} ({Edge(v)})" : "none (a root)")}");
        output.WriteLine($"  registered: {v.RegisteredAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}");
        output.WriteLine($"  scores:     {(v.Scores.Count == 0 ? "none" : Scores(v.Scores))}");
        foreach (var e in edges.Where(e => e.From == v.Reference || e.To == v.Reference))
        {
            output.WriteLine($"  edge:       {e.From} -> {e.To}: {e.Kind} by {e.Job}{(e.Detail.Length > 0 ? $" ({e.Detail})" : "")}");
        }
    }

    public static void WriteDiff(TextWriter output, ModelDiffView diff, bool all)
    {
        var shown = diff.Tensors.Where(t => all || t.Kind != TensorDifferenceKind.Same).ToList();
        var same = diff.Tensors.Count(t => t.Kind == TensorDifferenceKind.Same);
        output.WriteLine($"{diff.First} -> {diff.Second}: {diff.Tensors.Count - same} of {diff.Tensors.Count} tensors differ, {JobText.Size(diff.ChangedBytes)} changed ({JobText.Size(diff.BytesRead)} read)");
        if (shown.Count == 0) return;
        Tables.Write(output, ["TENSOR", "DIFFERENCE", "SHAPE", "TYPE", "CHANGED BYTES", "RELATIVE L2"], shown.Select(t => (IReadOnlyList<string>)
        [
            t.Name, t.Kind.ToString(), t.Shape, t.DataType, t.ChangedBytes.ToString("N0", CultureInfo.InvariantCulture),
            double.IsNaN(t.RelativeL2) ? "-" : t.RelativeL2.ToString("G4", CultureInfo.InvariantCulture),
        ]));
    }

    public static void WriteCascade(TextWriter output, CascadePlan plan)
    {
        output.WriteLine(plan.Id == 0
            ? $"dry run: {plan.Trigger} supersedes {plan.Previous}; {plan.Steps.Count} job(s) would run, each after the one it depends on"
            : $"cascade {plan.Id}: {plan.Trigger} supersedes {plan.Previous}; {plan.Steps.Count} job(s)");
        if (plan.Steps.Count == 0) return;
        Tables.Write(output, ["STEP", "KIND", "REPLACES", "RE-RUNS", "AFTER", "JOB", "PRODUCED", "STATE"], plan.Steps.Select(s => (IReadOnlyList<string>)
        [
            s.Index.ToString(CultureInfo.InvariantCulture), s.Kind.ToString(), s.Replaces, s.OriginalJob,
            s.DependsOn is { } d ? $"step {d}" : plan.Trigger, s.Job ?? "-", s.Produced ?? "-", s.State,
        ]));
    }

    private static string Edge(ModelVersionView v) => v.ParentEdge is { } kind ? kind.ToString() : "-";

    private static string Scores(IReadOnlyDictionary<string, double> scores) =>
        string.Join(" ", scores.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
