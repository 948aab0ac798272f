using System.Diagnostics;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Times the real <see cref="SchedulingPass"/> on a simulated 100,000-GPU H100 cluster through the scheduler grain's
/// <see cref="IndexCapacity"/> adapter, as the grain calls it. Jobs of 8 GPUs or more run tensor-parallel over a whole
/// node (t8); smaller ones are single-node pods. Sizes follow the synthetic mix (powers of two, weight 0.6^k).
/// </summary>
internal static class SchedulingMeasurements
{
    private const int Gpus = 100_000;
    private const string GpuType = "h100-80gb";
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    /// <summary>p99 and p50 of one pass with 10,000 jobs waiting on a cluster 95% busy (5 occupancies × 10 passes, after a warm-up pass each).</summary>
    public static void RecordPassAtScale(BenchmarkReport report, CancellationToken cancellationToken)
    {
        const int pending = 10_000;
        var times = new List<double>();
        var (starts, waits) = (0, 0);
        for (var snapshot = 0; snapshot < 5; snapshot++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var random = new Random(100 + snapshot);
            var index = new FreeCapacityIndex(SimulatedCluster.Build(new ClusterScenario([new GpuPool(GpuType, Gpus)]), "bench"));
            var running = Occupy(index, 0.95, random);
            var waiting = Enumerable.Range(0, pending).Select(i => Waiting($"w{i}", i, Size(random, 8192), random)).ToList();
            var inputs = new SchedulingInputs(waiting, running, new IndexCapacity(index, null, []));
            SchedulingPass.Run(inputs, Now);
            GC.Collect();
            for (var pass = 0; pass < 10; pass++)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = SchedulingPass.Run(inputs, Now);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                starts += outcome.Starts.Count();
                waits += outcome.Waits.Count();
            }
        }

        times.Sort();
        var detail = new Dictionary<string, object>
        {
            ["cluster_gpus"] = Gpus, ["pending"] = pending, ["occupancy"] = 0.95, ["passes"] = times.Count, ["target_ms"] = 1000.0,
            ["p50_ms"] = Math.Round(Statistics.Percentile(times, 0.5), 2), ["mean_starts_per_pass"] = (double)starts / times.Count,
            ["mean_waits_per_pass"] = (double)waits / times.Count, ["load_average_1m"] = LoadAverage(),
        };
        report.Add("pass_ms_p99.gpus_100000_pending_10000", Statistics.Percentile(times, 0.99), "ms", detail);
    }

    /// <summary>Jobs started per second by one pass on an empty 100,000-GPU cluster with 20,000 single-node jobs (1 to 8 GPUs) waiting; median of 5 passes.</summary>
    public static void RecordPlacementThroughput(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        var started = 0;
        for (var round = 0; round < 6; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var random = new Random(200 + round);
            var index = new FreeCapacityIndex(SimulatedCluster.Build(new ClusterScenario([new GpuPool(GpuType, Gpus)]), "bench"));
            var waiting = Enumerable.Range(0, 20_000).Select(i => Waiting($"p{i}", i, 1 << random.Next(4), random)).ToList();
            var inputs = new SchedulingInputs(waiting, [], new IndexCapacity(index, null, []));
            GC.Collect();
            var clock = Stopwatch.GetTimestamp();
            var outcome = SchedulingPass.Run(inputs, Now);
            var seconds = Stopwatch.GetElapsedTime(clock).TotalSeconds;
            started = outcome.Starts.Count();
            if (round > 0) rates.Add(started / seconds); // the first round warms up
        }

        report.Add("placements_per_s.gpus_100000", Statistics.Median(rates), "placements/s", new Dictionary<string, object>
        {
            ["cluster_gpus"] = Gpus, ["waiting"] = 20_000, ["started_per_pass"] = started, ["passes"] = rates.Count,
            ["target"] = 10_000.0, ["kube_scheduler_published"] = 810.0, ["load_average_1m"] = LoadAverage(),
        });
    }

    /// <summary>Fills <paramref name="index"/> with running jobs until <paramref name="busy"/> of it is held.</summary>
    private static List<RunningJob> Occupy(FreeCapacityIndex index, double busy, Random random)
    {
        var running = new List<RunningJob>();
        var target = (int)(index.Topology.Devices.Count * (1 - busy));
        while (index.FreeCount() > target)
        {
            var size = Math.Min(Size(random, 1024), index.FreeCount() - target);
            size = size >= 8 ? size / 8 * 8 : size;
            var placed = RankPlacer.Place(index, new GangRequest(Layout(size), GpuType));
            if (!placed.Succeeded) continue;
            var ids = placed.DeviceIds.ToArray();
            index.MarkBusy(ids);
            running.Add(new RunningJob($"r{running.Count}", 0, ids, Now.AddHours(-random.Next(1, 48)), Now.AddHours(random.Next(1, 96))));
        }

        return running;
    }

    private static WaitingJob Waiting(string id, int sequence, int size, Random random) =>
        new(id, 0, sequence, JobDemand.Fixed(Layout(size), GpuType), TimeSpan.FromHours(0.5 + random.NextDouble() * 24));

    private static ParallelLayout Layout(int size) => size >= 8 ? new ParallelLayout(8, 1, size / 8) : new ParallelLayout(1, 1, size);

    /// <summary>A size of the synthetic mix: 1 to 4 GPUs (pods) or 8·2^k up to <paramref name="largest"/>, weight 0.6^k.</summary>
    private static int Size(Random random, int largest)
    {
        var size = 1;
        while (size < largest && random.NextDouble() < 0.6) size *= 2;
        return size;
    }

    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }
}
