using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Hardware;
using Orchestrator.Silo.Scheduling.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Simulation.Scenarios;

/// <summary>Reads a <c>kind: Simulation</c> scenario file; every error names the field, its line and what is allowed.</summary>
internal static class ScenarioReader
{
    private const double Year = 366 * 86_400.0;

    /// <summary>Reads the scenario at <paramref name="path"/>; a relative trace path is taken from the file's folder.</summary>
    public static SimulationScenario Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ScenarioException($"{path}: no such scenario file");
        return Parse(File.ReadAllText(full), full, System.IO.Path.GetDirectoryName(full)!);
    }

    /// <param name="yaml">The file's text.</param>
    /// <param name="source">Its name, for errors.</param>
    /// <param name="baseDirectory">The folder relative trace paths are read from.</param>
    public static SimulationScenario Parse(string yaml, string source, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source} line {e.Start.Line}: not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count != 1) throw new ScenarioException($"{source}: holds {stream.Documents.Count} documents; a scenario file holds exactly one");
        var root = new ScenarioFields(stream.Documents[0].RootNode, "", source,
            "kind", "name", "seed", "duration", "cluster", "workload", "failures", "checkpoints", "restart", "scheduler", "queues", "sampleEvery");
        if (root.Text("kind") != "Simulation")
            throw root.Fail("kind", root.Node("kind"), "must be Simulation");
        var duration = root.Seconds("duration", double.NaN, 1, Year);
        if (double.IsNaN(duration)) throw root.Fail("duration", null, "is required (e.g. 30d)");
        var queues = Queues(root);
        return new SimulationScenario(
            root.Text("name", System.IO.Path.GetFileNameWithoutExtension(source)),
            root.Integer("seed", 1, 0, int.MaxValue),
            duration,
            Cluster(root.Mapping("cluster", "gpuType", "gpus", "pools")),
            Workload(root.Mapping("workload", "trace", "traceGpuType", "synthetic"), baseDirectory),
            Failures(root.OptionalMapping("failures", "perGpuHour", "repair")),
            Checkpoints(root.OptionalMapping("checkpoints", "interval", "save", "restart")),
            Restart(root.OptionalMapping("restart", "maxAttempts", "backoff", "maxBackoff")),
            Scheduler(root.OptionalMapping("scheduler", "backfill", "preemption", "maxBackfillCandidates", "policy")),
            queues,
            root.Seconds("sampleEvery", Math.Max(1, duration / 500), 1, Year));
    }

    private static ClusterScenario Cluster(ScenarioFields cluster)
    {
        if (cluster.Has("pools") == (cluster.Has("gpuType") || cluster.Has("gpus")))
            throw cluster.Fail(cluster.Path, null, "must give either gpuType and gpus, or pools (a list of gpuType and gpus)");
        if (!cluster.Has("pools")) return new ClusterScenario([Pool(cluster)]);
        var pools = cluster.Sequence("pools").Select((node, i) => Pool(cluster.Child(node, $"cluster.pools[{i}]", "gpuType", "gpus"))).ToList();
        var repeated = pools.GroupBy(p => p.GpuType, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? new ClusterScenario(pools) : throw cluster.Fail("cluster.pools", null, $"lists GPU type {repeated.Key} twice; list each type once");
    }

    private static GpuPool Pool(ScenarioFields pool)
    {
        var type = pool.Text("gpuType");
        if (!HardwareCatalog.TryGet(type, out var model))
            throw pool.Fail(ScenarioFields.Join(pool.Path, "gpuType"), pool.Node("gpuType"),
                $"'{type}' is not in the hardware catalog; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}");
        var gpus = pool.Integer("gpus", 0, ClusterScenario.GpusPerNode, 1_048_576);
        if (gpus % ClusterScenario.GpusPerNode != 0)
            throw pool.Fail(ScenarioFields.Join(pool.Path, "gpus"), pool.Node("gpus"), $"must be a multiple of {ClusterScenario.GpusPerNode} (nodes of {ClusterScenario.GpusPerNode}), got {gpus}");
        return new GpuPool(model.Name, gpus);
    }

    private static WorkloadScenario Workload(ScenarioFields workload, string baseDirectory)
    {
        if (workload.Has("trace") == workload.Has("synthetic"))
            throw workload.Fail("workload", null, "must give exactly one of trace (a pod CSV of the Alibaba GPU trace) or synthetic (mix parameters)");
        if (workload.Has("trace"))
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, workload.Text("trace")));
            if (!File.Exists(path)) throw workload.Fail("workload.trace", workload.Node("trace"), $"names no file ({path})");
            string? type = workload.Has("traceGpuType") ? workload.Text("traceGpuType") : null;
            return new WorkloadScenario(path, null, type);
        }

        var s = workload.Mapping("synthetic", "load", "minGpus", "maxGpus", "sizeDecay", "medianHours", "sigma", "maxHours", "jobs");
        var defaults = new SyntheticWorkload();
        var min = s.Integer("minGpus", defaults.MinGpus, 1, 1_048_576);
        var max = s.Integer("maxGpus", defaults.MaxGpus, min, 1_048_576);
        if (!IsPowerOfTwoMultiple(max, min))
            throw s.Fail("workload.synthetic.maxGpus", s.Node("maxGpus"), $"must be minGpus ({min}) times a power of two, got {max}");
        var median = s.Number("medianHours", defaults.MedianHours, 0, 10_000, minExclusive: true);
        return new WorkloadScenario(null, new SyntheticWorkload(
            s.Number("load", defaults.Load, 0, 10, minExclusive: true),
            min,
            max,
            s.Number("sizeDecay", defaults.SizeDecay, 0, 1, minExclusive: true),
            median,
            s.Number("sigma", defaults.Sigma, 0, 5),
            s.Number("maxHours", defaults.MaxHours, median, 100_000),
            s.Has("jobs") ? s.Integer("jobs", 0, 1, 10_000_000) : null));
    }

    private static bool IsPowerOfTwoMultiple(int max, int min) => max % min == 0 && int.IsPow2(max / min);

    private static FailureScenario Failures(ScenarioFields? failures) => failures is null
        ? new FailureScenario()
        : new FailureScenario(failures.Number("perGpuHour", FailureScenario.Llama3PerGpuHour, 0, 1), failures.Seconds("repair", 3600, 0, Year));

    private static CheckpointScenario Checkpoints(ScenarioFields? c)
    {
        var d = new CheckpointScenario();
        return c is null ? d : new CheckpointScenario(c.Seconds("interval", d.IntervalSeconds, 0, Year), c.Seconds("save", d.SaveSeconds, 0, 86_400), c.Seconds("restart", d.RestartSeconds, 0, 86_400));
    }

    private static RestartScenario Restart(ScenarioFields? r)
    {
        var d = new RestartScenario();
        if (r is null) return d;
        var backoff = r.Seconds("backoff", d.BackoffSeconds, 0, 86_400);
        return new RestartScenario(r.Integer("maxAttempts", d.MaxAttempts, 1, 1_000_000), backoff, r.Seconds("maxBackoff", Math.Max(backoff, d.MaxBackoffSeconds), backoff, 86_400));
    }

    private static SchedulerScenario Scheduler(ScenarioFields? s)
    {
        var d = new SchedulerScenario();
        if (s is null) return d;
        var policy = d.Policy;
        if (s.Has("policy"))
        {
            policy = SchedulingPolicyNames.TryParse(s.Text("policy"))
                ?? throw s.Fail("scheduler.policy", s.Node("policy"), $"'{s.Text("policy")}' is not a scheduling policy; allowed: {SchedulingPolicyNames.Allowed}");
        }

        return new SchedulerScenario(s.Flag("backfill", d.Backfill), s.Flag("preemption", d.Preemption), s.Integer("maxBackfillCandidates", d.MaxBackfillCandidates, 0, 1_000_000), policy);
    }

    private static IReadOnlyList<QueueScenario> Queues(ScenarioFields root)
    {
        if (!root.Has("queues")) return [];
        var queues = root.Sequence("queues").Select((node, i) =>
        {
            var q = root.Child(node, $"queues[{i}]", "name", "weight");
            var name = q.Text("name");
            if (!QueueNames.IsValid(name)) throw q.Fail($"queues[{i}].name", q.Node("name"), $"'{name}' is not a queue name: use {QueueNames.Rule}");
            return new QueueScenario(name, q.Number("weight", 1, 0, 1_000_000, minExclusive: true));
        }).ToList();
        var repeated = queues.GroupBy(q => q.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? queues : throw root.Fail("queues", null, $"lists queue {repeated.Key} twice");
    }
}
