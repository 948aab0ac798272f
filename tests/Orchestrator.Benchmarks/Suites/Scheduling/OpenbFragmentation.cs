using System.Diagnostics;
using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Benchmarks.Suites.Scheduling;

/// <summary>
/// <c>openb_unallocated_gpu_share.POLICY</c>: the FGD paper's experiment (Weng et al., ATC 2023, section 6) on the openb
/// trace with our packing code. Pods arrive in trace order and never leave; once the trace is used up, pods are
/// resampled from it (seeded) until the GPUs asked for by arrived pods reach the cluster's capacity (the paper's
/// workload inflation). A pod that fits nowhere is dropped. The figure is the share of the cluster's GPU capacity left
/// unallocated at that point (lower is better), the mean over the seeds; each seed's value is in the detail. FGD's
/// target workload is the trace's typical task shapes (the most popular covering 95% of its pods, as the artifact's
/// <c>typicalPodsConfig</c>). The FGD artifact shuffles the pods instead of
/// keeping trace order (<c>--shuffle-pod=true</c>); the same run with shuffled arrivals is in the detail
/// (<c>shuffledMean</c>) for comparison with its published figures.
/// </summary>
internal static class OpenbFragmentation
{
    // The FGD artifact's seeds (experiments/run_scripts/generate_run_scripts.py: 42 to 51).
    private static readonly int[] Seeds = [42, 43, 44, 45, 46, 47, 48, 49, 50, 51];

    public static void Record(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var folder = OpenbTrace.Locate()
            ?? throw new DirectoryNotFoundException($"the openb trace is read from {OpenbTrace.Folder} in a folder above the working directory; none was found");
        var trace = OpenbTrace.Read(folder);
        var workload = TargetWorkload.Typical(trace.Pods, TargetWorkload.TypicalCoverage);
        foreach (var kind in SharePolicies.All)
        {
            var runs = Seeds.Select(seed =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Run(trace, SharePolicies.Create(kind, workload, seed), seed, shuffled: false);
            }).ToList();
            var shuffled = Seeds.Select(seed => Run(trace, SharePolicies.Create(kind, workload, seed), seed, shuffled: true)).ToList();
            var name = runs[0].Policy;
            report.Add($"openb_unallocated_gpu_share.{name}", runs.Average(r => r.UnallocatedShare), "ratio", new Dictionary<string, object>
            {
                ["seeds"] = Seeds,
                ["perSeed"] = runs.Select(r => r.UnallocatedShare).ToArray(),
                ["unplacedPods"] = runs.Select(r => r.Unplaced).ToArray(),
                ["arrivedPods"] = runs.Select(r => r.Arrived).ToArray(),
                ["capacityGpus"] = runs[0].CapacityGpus,
                ["secondsPerRun"] = runs.Select(r => Math.Round(r.Seconds, 2)).ToArray(),
                ["shuffledMean"] = shuffled.Average(r => r.UnallocatedShare),
                ["shuffledPerSeed"] = shuffled.Select(r => r.UnallocatedShare).ToArray(),
                ["trace"] = "openb_pod_list_default.csv on openb_node_list_gpu_node.csv",
            });
        }
    }

    /// <summary>One run of the experiment: places arrivals until the arrived GPU demand reaches capacity.</summary>
    public static OpenbRun Run(OpenbTrace trace, ISharePolicy policy, int seed, bool shuffled)
    {
        var cluster = new ShareCluster(trace.Nodes.Select(n => new ShareNode(n.Name, n.Model, n.CpuMilli, n.MemoryMib,
            Enumerable.Range(0, n.Gpus).Select(i => $"{n.Name}/{i}").ToList())));
        var started = Stopwatch.GetTimestamp();
        var unplaced = 0;
        var arrived = 0;
        long arrivedMilli = 0;
        foreach (var pod in Arrivals(trace.Pods, seed, shuffled))
        {
            if (arrivedMilli >= cluster.GpuMilliCapacity) break;
            arrived++;
            arrivedMilli += pod.TotalGpuMilli;
            if (cluster.TryPlace(pod, policy) is null) unplaced++;
        }

        var unallocated = 1 - (double)cluster.GpuMilliAllocated / cluster.GpuMilliCapacity;
        return new OpenbRun(policy.Name, unallocated, unplaced, arrived, cluster.GpuMilliCapacity / 1000, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The trace's pods in order (or shuffled), then pods drawn from it uniformly with replacement, without end.</summary>
    private static IEnumerable<ShareTask> Arrivals(IReadOnlyList<ShareTask> pods, int seed, bool shuffled)
    {
        var random = new Random(seed);
        var first = pods.ToArray();
        if (shuffled) random.Shuffle(first);
        foreach (var pod in first) yield return pod;
        while (true) yield return pods[random.Next(pods.Count)];
    }
}
