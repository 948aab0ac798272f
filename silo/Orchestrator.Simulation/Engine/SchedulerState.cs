using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Simulation.Engine;

/// <summary>
/// What the scheduler grain keeps, for the simulator: the queues (<see cref="JobQueues"/>), the devices each job
/// holds, the preemptors waiting for their victims to drain, and the free-capacity index (held and out-of-service
/// devices busy). <see cref="RunPass"/> does what <c>SchedulerGrain.RunPassAsync</c> does: hands the real
/// <see cref="SchedulingPass"/> a snapshot (through the grain's own <see cref="IndexCapacity"/> adapter) and applies
/// its decisions the same way: a victim keeps its devices until it has checkpointed and released them, and its
/// preemptor is not started until then, and then first and no larger than planned (<see cref="PlannedStart"/>).
/// </summary>
internal sealed class SchedulerState(ClusterTopology topology, SchedulingOptions options, QuotaBook? queues)
{
    private readonly Dictionary<string, List<string>> _draining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlannedStart> _planned = new(StringComparer.Ordinal);

    public static DateTimeOffset Epoch { get; } = DateTimeOffset.UnixEpoch;

    public JobQueues Queues { get; } = new();

    public FreeCapacityIndex Index { get; } = new(topology);

    public Dictionary<string, SimulatedJob> Holding { get; } = new(StringComparer.Ordinal);

    public int Passes { get; private set; }

    /// <summary>One pass at <paramref name="now"/>; returns the jobs to start (devices already marked busy) and the victims to drain.</summary>
    public (IReadOnlyList<(SimulatedJob Job, StartDecision Start)> Started, IReadOnlyList<SimulatedJob> Victims) RunPass(
        double now, IReadOnlyDictionary<string, SimulatedJob> jobs, Func<SimulatedJob, TimeSpan> estimate)
    {
        var waiting = new List<WaitingJob>();
        foreach (var entry in Queues.Ordered())
        {
            var job = jobs[entry.JobId];
            if (job.NotBefore > now || _draining.ContainsKey(job.JobId)) continue;
            waiting.Add(new WaitingJob(job.JobId, entry.Priority, entry.Sequence, job.Demand, estimate(job), Queue: entry.Queue,
                Planned: _planned.GetValueOrDefault(job.JobId)));
        }

        if (waiting.Count == 0) return ([], []);
        var running = Holding.Values
            .Select(j => new RunningJob(j.JobId, j.Entry!.Priority, j.Devices, At(j.Current.StartedAt), j.ExpectedEnd is { } end ? At(end) : null,
                Preemptible: !j.Draining, Queue: j.Spec.Queue, GpuType: GpuTypeOf(j.Devices)))
            .ToList();
        var at = At(now);
        Passes++;
        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, running, new IndexCapacity(Index, null, []), null, options, queues), at);
        var victims = new List<SimulatedJob>();
        foreach (var preempt in outcome.Preemptions)
        {
            if (!Holding.TryGetValue(preempt.JobId, out var victim)) continue;
            if (!_draining.TryGetValue(preempt.ForJobId, out var list)) _draining[preempt.ForJobId] = list = [];
            list.Add(victim.JobId);
            victims.Add(victim);
            if (outcome.Starts.FirstOrDefault(s => s.JobId == preempt.ForJobId) is { } planned)
                _planned[preempt.ForJobId] = new PlannedStart(planned.DeviceIds.Count, GpuTypeOf(planned.DeviceIds));
        }

        var started = new List<(SimulatedJob, StartDecision)>();
        foreach (var start in outcome.Starts.Where(s => !_draining.ContainsKey(s.JobId)))
        {
            var job = jobs[start.JobId];
            Queues.Remove(start.JobId);
            _planned.Remove(start.JobId);
            Index.MarkBusy(start.DeviceIds);
            Holding[job.JobId] = job;
            started.Add((job, start));
        }

        return (started, victims);
    }

    /// <summary>Frees a job's devices (all but <paramref name="keepBusy"/>, out of service) and ends any preemptor's wait on it.</summary>
    public void Release(SimulatedJob job, string? keepBusy = null)
    {
        foreach (var (preemptor, victims) in _draining.Where(d => d.Value.Remove(job.JobId)).ToList())
        {
            if (victims.Count == 0) _draining.Remove(preemptor);
        }

        if (!Holding.Remove(job.JobId)) return;
        Index.MarkFree(keepBusy is null ? job.Devices : job.Devices.Where(d => d != keepBusy));
        job.Devices = [];
    }

    public bool IsWaitingForVictims(string jobId) => _draining.ContainsKey(jobId);

    private string GpuTypeOf(IReadOnlyList<string> devices) => topology.GetNode(topology.GetDevice(devices[0]).Node).GpuType;

    public static DateTimeOffset At(double seconds) => Epoch + TimeSpan.FromSeconds(seconds);
}
