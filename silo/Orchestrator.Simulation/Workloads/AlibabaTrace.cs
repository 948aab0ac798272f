using System.Globalization;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Workloads;

/// <summary>
/// Reads the pod list of the Alibaba GPU cluster trace (2023, "openb": <c>name, cpu_milli, memory_mib, num_gpu,
/// gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time</c>, times in seconds). A pod
/// becomes a job submitted at its creation time that runs from scheduling to deletion on <c>num_gpu</c> whole GPUs,
/// or, for a pod of one GPU with <c>gpu_milli</c> below 1000, on a share of one (<c>resources.gpuFraction</c> =
/// gpu_milli / 1000), which the scheduler packs onto a shared device with its GPU-sharing policy.
/// Left out: pods without GPUs, pods never scheduled and pods that ran no time.
/// </summary>
internal static class AlibabaTrace
{
    private static readonly string[] Columns = ["name", "num_gpu", "gpu_milli", "creation_time", "deletion_time", "scheduled_time"];

    public static IReadOnlyList<WorkloadJob> Read(string path, string? gpuType, double durationSeconds)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new ScenarioException($"workload.trace {path}: the file is empty");
        var at = Columns.ToDictionary(c => c, c => Array.IndexOf(header, c));
        if (at.FirstOrDefault(kv => kv.Value < 0) is { Key: { } missing })
            throw new ScenarioException($"workload.trace {path}: the header lacks column '{missing}'; an Alibaba GPU trace pod list has {string.Join(", ", Columns)}");
        var jobs = new List<WorkloadJob>();
        var line = 1;
        double? first = null;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != header.Length)
                throw new ScenarioException($"workload.trace {path} line {line}: {cells.Length} columns, the header has {header.Length}");
            var gpus = (int)Math.Min(Integer(cells[at["num_gpu"]], path, line, "num_gpu"), int.MaxValue);
            if (gpus == 0 || cells[at["scheduled_time"]].Length == 0) continue;
            var milli = Integer(cells[at["gpu_milli"]], path, line, "gpu_milli");
            if (milli is 0 or > GpuShareRules.Milli)
                throw new ScenarioException($"workload.trace {path} line {line}: gpu_milli must be 1 to 1000 thousandths of each GPU for a pod with GPUs, got {milli}");
            // The trace's multi-GPU pods all take whole GPUs; a fraction is a share only of a single GPU.
            int? share = gpus == 1 && milli < GpuShareRules.Milli ? (int)milli : null;
            var created = Integer(cells[at["creation_time"]], path, line, "creation_time");
            var scheduled = Integer(cells[at["scheduled_time"]], path, line, "scheduled_time");
            var deleted = Integer(cells[at["deletion_time"]], path, line, "deletion_time");
            if (deleted <= scheduled) continue;
            first ??= created;
            var arrival = created - first.Value;
            if (arrival < 0 || arrival > durationSeconds) continue;
            jobs.Add(new WorkloadJob(cells[at["name"]], arrival, gpus, deleted - scheduled, GpuType: gpuType, GpuMilli: share));
        }

        return jobs;
    }

    private static long Integer(string cell, string path, int line, string column) =>
        long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ScenarioException($"workload.trace {path} line {line}: {column} must be a whole number of at least 0, got '{cell}'");
}
