using System.Globalization;
using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Benchmarks.Suites.Scheduling;

/// <summary>
/// The openb GPU-sharing trace of Alibaba's cluster-trace-gpu-v2023 (the trace of the FGD paper), read at run time from
/// <c>../shared/data/traces/alibaba-gpu-v2023</c> beside the repository; never committed, never read by tests.
/// Nodes: <c>sn,cpu_milli,memory_mib,gpu,model</c>; pods:
/// <c>name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time</c>.
/// </summary>
internal sealed record OpenbTrace(IReadOnlyList<OpenbNode> Nodes, IReadOnlyList<ShareTask> Pods)
{
    public const string Folder = "shared/data/traces/alibaba-gpu-v2023";

    /// <summary>The trace folder found by walking up from the working directory, or null when there is none.</summary>
    public static string? Locate()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, Folder);
            if (Directory.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>GPU nodes and the pods of one pod list, pods in arrival order (creation time, then file order).</summary>
    public static OpenbTrace Read(string folder, string podList = "openb_pod_list_default.csv")
    {
        var nodes = Rows(Path.Combine(folder, "openb_node_list_gpu_node.csv"))
            .Select(r => new OpenbNode(r["sn"], Int(r, "cpu_milli"), Int(r, "memory_mib"), Int(r, "gpu"), r["model"]))
            .ToList();
        var pods = Rows(Path.Combine(folder, podList))
            .Select((r, line) => (Created: long.Parse(r["creation_time"], CultureInfo.InvariantCulture), Line: line, Task: Pod(r)))
            .OrderBy(p => p.Created).ThenBy(p => p.Line)
            .Select(p => p.Task)
            .ToList();
        return new OpenbTrace(nodes, pods);
    }

    private static ShareTask Pod(IReadOnlyDictionary<string, string> row)
    {
        var gpus = Int(row, "num_gpu");
        var spec = row["gpu_spec"];
        if (spec.Contains('|', StringComparison.Ordinal))
            throw new NotSupportedException($"pod {row["name"]}: alternative GPU models ({spec}) are not modelled; use a pod list without them");
        return new ShareTask(Int(row, "cpu_milli"), Int(row, "memory_mib"), gpus, gpus == 0 ? 0 : Int(row, "gpu_milli"), spec.Length == 0 ? null : spec);
    }

    private static int Int(IReadOnlyDictionary<string, string> row, string column) => int.Parse(row[column], CultureInfo.InvariantCulture);

    private static IEnumerable<IReadOnlyDictionary<string, string>> Rows(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty")).Split(',');
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length) throw new InvalidDataException($"{path}: '{line}' has {cells.Length} cells, the header {header.Length}");
            yield return header.Zip(cells).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
        }
    }
}
