using System.Diagnostics;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Placement measurements on simulated H100 clusters, shared by the <c>placement</c> suite and the control-plane and
/// planner suites. A simulated cluster has 8 GPUs per node (one NVLink domain), 16 nodes per rack and 16 racks per
/// block. Occupancy comes from small jobs (1 to 8 GPUs on one random node) until the wanted fraction is busy, which
/// leaves most nodes partly used: the fragmentation the placer has to work around.
/// </summary>
internal static class PlacementMeasurements
{
    public const string GpuType = "h100-80gb";
    private const int GpusPerNode = 8;
    private const int NodesPerRack = 16;
    private const int RacksPerBlock = 16;

    /// <summary>A cluster of <paramref name="gpus"/> H100s (a multiple of 8), nodes named <c>bB-rR-nNN</c>.</summary>
    public static ClusterTopology SimulatedCluster(int gpus)
    {
        if (gpus <= 0 || gpus % GpusPerNode != 0) throw new ArgumentOutOfRangeException(nameof(gpus), gpus, $"must be a positive multiple of {GpusPerNode}");
        var nodes = Enumerable.Range(0, gpus / GpusPerNode).Select(n =>
        {
            var (block, rack, slot) = (n / (NodesPerRack * RacksPerBlock), n / NodesPerRack % RacksPerBlock, n % NodesPerRack);
            var name = $"b{block}-r{rack}-n{slot:D2}";
            return new NodeDescription(name, $"b{block}", $"r{rack}", name, GpuType, GpusPerNode);
        });
        return new ClusterTopology($"simulated-{gpus}", nodes);
    }

    /// <summary>An index of <paramref name="topology"/> with about <paramref name="busyFraction"/> of its devices busy, in small random jobs.</summary>
    public static FreeCapacityIndex Occupy(ClusterTopology topology, double busyFraction, Random random)
    {
        var index = new FreeCapacityIndex(topology);
        var target = (int)Math.Round(topology.Devices.Count * (1 - busyFraction));
        var busy = new List<string>(GpusPerNode);
        while (index.FreeCount() > target)
        {
            var node = topology.Nodes[random.Next(topology.Nodes.Count)];
            var want = Math.Min(random.Next(1, GpusPerNode + 1), index.FreeCount() - target);
            busy.Clear();
            for (var i = 0; i < node.GpuCount && busy.Count < want; i++)
            {
                var id = GpuDevice.FormatId(node.Name, i);
                if (index.IsFree(id)) busy.Add(id);
            }

            if (busy.Count > 0) index.MarkBusy(busy);
        }

        return index;
    }

    /// <summary>
    /// Times <see cref="RankPlacer.Place"/> for <paramref name="layout"/>: <paramref name="snapshots"/> random
    /// occupancies, <paramref name="placementsPerSnapshot"/> placements on each (each avoiding a different few free
    /// devices, so no two calls do exactly the same work).
    /// </summary>
    public static PlacementTiming Measure(
        ClusterTopology topology, double busyFraction, ParallelLayout layout, int snapshots, int placementsPerSnapshot, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var times = new List<double>(snapshots * placementsPerSnapshot);
        var succeeded = 0;
        var (fullyFree, partlyBusy) = (0.0, 0.0);
        var cpu = TimeSpan.Zero;
        var warmUp = Occupy(topology, busyFraction, random);
        for (var i = 0; i < 20; i++) RankPlacer.Place(warmUp, new GangRequest(layout, GpuType));

        for (var s = 0; s < snapshots; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = Occupy(topology, busyFraction, random);
            var (full, partial) = NodeFractions(index);
            fullyFree += full / snapshots;
            partlyBusy += partial / snapshots;

            // Building the snapshot left garbage a steady-state scheduler does not make; collect it outside the timing.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            for (var p = 0; p < placementsPerSnapshot; p++)
            {
                var avoid = Enumerable.Range(0, 4).Select(_ => topology.Devices[random.Next(topology.Devices.Count)].Id).ToArray();
                var request = new GangRequest(layout, GpuType, avoid);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var start = Stopwatch.GetTimestamp();
                var result = RankPlacer.Place(index, request);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                cpu += Environment.CpuUsage.TotalTime - cpuBefore;
                if (result.Succeeded) succeeded++;
            }
        }

        times.Sort();
        return new PlacementTiming(
            Statistics.Percentile(times, 0.50), Statistics.Percentile(times, 0.99), times.Average(), cpu.TotalMilliseconds / times.Count, times.Count, succeeded, fullyFree, partlyBusy);
    }

    /// <summary>Records p50/p99 of a 512-GPU t8·p8·d8 gang on 16,384 GPUs at 50% occupancy (the control-plane figures).</summary>
    public static void RecordGangOn16k(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var cluster16k = SimulatedCluster(16_384);
        var layout512 = new ParallelLayout(8, 8, 8);
        var timing = Measure(cluster16k, 0.5, layout512, snapshots: 100, placementsPerSnapshot: 10, seed: 512, cancellationToken);
        var detail = Detail(cluster16k, 0.5, layout512, timing);
        report.Add("placement_p50_ms", timing.P50Milliseconds, "ms", detail);
        report.Add("placement_p99_ms", timing.P99Milliseconds, "ms", detail);
    }

    /// <summary>Records the p50 of a 1,024-GPU t8·p8·d16 gang on 65,536 GPUs at 60% occupancy (target under 50 ms; the planner figure).</summary>
    public static void RecordLargeCluster(BenchmarkReport report, CancellationToken cancellationToken)
    {

        var cluster64k = SimulatedCluster(65_536);
        var layout1024 = new ParallelLayout(8, 8, 16);
        var large = Measure(cluster64k, 0.6, layout1024, snapshots: 20, placementsPerSnapshot: 10, seed: 1024, cancellationToken);
        var largeDetail = new Dictionary<string, object>(Detail(cluster64k, 0.6, layout1024, large)) { ["target_ms"] = 50.0, ["p99_ms"] = large.P99Milliseconds };
        report.Add("placement_ms_1024_of_65536", large.P50Milliseconds, "ms", largeDetail);
    }

    /// <summary>Records the cost of reserving and releasing a 512-GPU placement on the free-capacity index.</summary>
    public static void RecordIndexUpdate(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var cluster = SimulatedCluster(16_384);
        var index = Occupy(cluster, 0.5, new Random(7));
        var ids = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 8, 8), GpuType)).DeviceIds.ToArray();
        const int rounds = 2_000;
        for (var i = 0; i < 50; i++)
        {
            index.MarkBusy(ids);
            index.MarkFree(ids);
        }

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < rounds; i++)
        {
            if (i % 256 == 0) cancellationToken.ThrowIfCancellationRequested();
            index.MarkBusy(ids);
            index.MarkFree(ids);
        }

        var microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / rounds / 2;
        var cpuMicroseconds = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / rounds / 2;
        report.Add("free_index_mark_512_us", microseconds, "us", new Dictionary<string, object>
        {
            ["cluster_gpus"] = 16_384, ["devices"] = ids.Length, ["rounds"] = rounds, ["cpu_us"] = Math.Round(cpuMicroseconds, 2), ["load_average_1m"] = LoadAverage(),
        });
    }

    private static Dictionary<string, object> Detail(ClusterTopology topology, double busyFraction, ParallelLayout layout, PlacementTiming timing) => new()
    {
        ["cluster_gpus"] = topology.Devices.Count,
        ["occupancy"] = busyFraction,
        ["layout"] = layout.ToString(),
        ["trials"] = timing.Trials,
        ["succeeded"] = timing.Succeeded,
        ["mean_ms"] = Math.Round(timing.MeanMilliseconds, 4),
        ["mean_cpu_ms"] = Math.Round(timing.MeanCpuMilliseconds, 4),
        ["fully_free_node_fraction"] = Math.Round(timing.FullyFreeNodeFraction, 3),
        ["partly_busy_node_fraction"] = Math.Round(timing.PartlyBusyNodeFraction, 3),
        ["load_average_1m"] = LoadAverage(),
    };

    /// <summary>The host's 1-minute load average where the OS tells it (Linux), else -1: shared machines skew p99.</summary>
    private static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    private static (double FullyFree, double PartlyBusy) NodeFractions(FreeCapacityIndex index)
    {
        var nodes = index.Topology.Nodes;
        var full = nodes.Count(n => index.FreeInNode(n.Name) == n.GpuCount);
        var partial = nodes.Count(n => index.FreeInNode(n.Name) is var free && free > 0 && free < n.GpuCount);
        return ((double)full / nodes.Count, (double)partial / nodes.Count);
    }
}
