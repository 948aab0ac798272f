using System.Globalization;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Workloads;

/// <summary>
/// Reads the pod list of the Alibaba GPU cluster trace (2023, "openb": <c>name, cpu_milli, memory_mib, num_gpu,
/// gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time</c>, times in seconds). A pod
/// becomes a job submitted at its creation time that runs from scheduling to deletion on <c>num_gpu</c> whole GPUs.
/// Left out: pods without GPUs, pods never scheduled and pods that ran no time. A fractional pod (gpu_milli below
/// 1000) asks for one whole GPU here: sharing a device is the GPU-sharing policy's work, not this trace replay's.
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
            var created = Integer(cells[at["creation_time"]], path, line, "creation_time");
            var scheduled = Integer(cells[at["scheduled_time"]], path, line, "scheduled_time");
            var deleted = Integer(cells[at["deletion_time"]], path, line, "deletion_time");
            if (deleted <= scheduled) continue;
            first ??= created;
            var arrival = created - first.Value;
            if (arrival < 0 || arrival > durationSeconds) continue;
            jobs.Add(new WorkloadJob(cells[at["name"]], arrival, gpus, deleted - scheduled, GpuType: gpuType));
        }

        return jobs;
    }

    private static long Integer(string cell, string path, int line, string column) =>
        long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ScenarioException($"workload.trace {path} line {line}: {column} must be a whole number of at least 0, got '{cell}'");
}
