using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Topology;
using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Results;

/// <summary>Samples the cluster over a run and turns the samples and the jobs' accounts into a <see cref="SimulationResult"/>.</summary>
internal sealed class MetricsRecorder(SimulationScenario scenario, SchedulerState scheduler, ClusterTopology topology)
{
    private readonly List<TimeSample> _samples = [];

    public int OutOfService { get; set; }

    public void Sample(double now)
    {
        var byQueue = new Dictionary<string, double>(StringComparer.Ordinal);
        var allocated = 0.0;
        foreach (var job in scheduler.Holding.Values)
        {
            allocated += job.GpuShare;
            byQueue[job.Spec.Queue] = byQueue.GetValueOrDefault(job.Spec.Queue) + job.GpuShare;
        }

        var (free, stranded) = (0, 0);
        foreach (var node in topology.Nodes)
        {
            var available = scheduler.Index.FreeInNode(node.Name);
            free += available;
            if (available < node.GpuCount) stranded += available;
        }

        _samples.Add(new TimeSample(now, allocated, OutOfService, scheduler.Queues.Count, scheduler.Holding.Count,
            free == 0 ? 0 : (double)stranded / free, byQueue, scheduler.Queues.QueueNames.ToHashSet(StringComparer.Ordinal)));
    }

    public SimulationResult Result(IEnumerable<SimulatedJob> all, double finish, int deviceFailures, int interruptions, int preemptions, IReadOnlyList<StartRecord> starts)
    {
        var jobs = all.ToList();
        var total = scenario.Cluster.TotalGpus;
        var completed = jobs.Where(j => j.State == JobState.Succeeded).ToList();
        var jct = completed.Select(j => j.End!.Value - j.Spec.ArrivalSeconds).Order().ToList();
        var queueing = jobs.Where(j => j.FirstStart is not null).Select(j => j.FirstStart!.Value - j.Spec.ArrivalSeconds).Order().ToList();
        var held = jobs.Sum(j => j.HeldGpuSeconds);
        var useful = jobs.Sum(j => j.UsefulGpuSeconds);
        var samples = _samples.Where(s => s.Seconds <= finish).ToList();
        var (fairness, jain) = Fairness(samples);
        return new SimulationResult(
            scenario.Name, scenario.Seed, total, finish, jobs.Count, completed.Count,
            jobs.Count(j => j.State == JobState.Failed), jobs.Count(j => j.End is null),
            Mean(jct), Percentile(jct, 0.99), Mean(queueing), Percentile(queueing, 0.99),
            jobs.Count > 0 && jobs.All(j => j.End is not null) ? jobs.Max(j => j.End!.Value) - jobs.Min(j => j.Spec.ArrivalSeconds) : null,
            samples.Count == 0 ? 0 : samples.Average(s => s.AllocatedGpus / total),
            finish <= 0 ? 0 : useful / (total * finish),
            samples.Count == 0 ? 0 : samples.Average(s => s.Fragmentation),
            held <= 0 ? 0 : useful / held,
            deviceFailures, interruptions, preemptions, scheduler.Passes, fairness, jain, samples, starts);
    }

    /// <summary>
    /// Each queue's share of the allocated devices, averaged over the samples in which every queue had jobs waiting
    /// (the cluster was contended for by all of them, so fair share is what decides), and Jain's index over the
    /// shares normalised by their targets (1 is perfectly fair).
    /// </summary>
    private (IReadOnlyList<QueueShare> Shares, double? Jain) Fairness(List<TimeSample> samples)
    {
        if (scenario.Queues.Count < 2) return ([], null);
        var weights = scenario.Queues.Sum(q => q.Weight);
        var contended = samples.Where(s => s.AllocatedGpus > 0 && scenario.Queues.All(q => s.WaitingQueues.Contains(q.Name))).ToList();
        if (contended.Count == 0) return ([], null);
        var shares = scenario.Queues
            .Select(q => new QueueShare(q.Name, q.Weight / weights, contended.Average(s => s.GpusByQueue.GetValueOrDefault(q.Name) / s.AllocatedGpus)))
            .ToList();
        var normalised = shares.Select(s => s.Share / s.Target).ToList();
        var squares = normalised.Sum(x => x * x);
        return (shares, squares == 0 ? null : normalised.Sum() * normalised.Sum() / (normalised.Count * squares));
    }

    private static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
