using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Simulation.Engine;

/// <summary>
/// What the scheduler grain keeps, for the simulator: the queues (<see cref="JobQueues"/>), the devices each job
/// holds, the preemptors waiting for their victims to drain, and the free-capacity index (held and out-of-service
/// devices busy). <see cref="RunPass"/> does what <c>SchedulerGrain.RunPassAsync</c> does: hands the real
/// <see cref="SchedulingPass"/> a snapshot (through the grain's own <see cref="IndexCapacity"/> adapter) and applies
/// its decisions the same way: a victim keeps its devices until it has checkpointed and released them, and its
/// preemptor is not started until then, and then first and no larger than planned (<see cref="PlannedStart"/>). GPU
/// shares (trace pods of a fraction of a GPU) go through the same <see cref="SharingView"/> the grain builds: tenants of
/// a shared device, one stand-in holder per device in the pass.
/// </summary>
internal sealed class SchedulerState(ClusterTopology topology, SchedulingOptions options, QuotaBook? queues)
{
    private readonly Dictionary<string, List<string>> _draining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tenants = new(StringComparer.Ordinal); // shared device → shares on it
    private readonly int _perNode = SharingView.LargestNode(topology);
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
        var sharing = _tenants.Count > 0 || waiting.Any(w => w.Demand.GpuMilli is not null) ? Sharing(waiting, jobs) : null;
        var running = Holding.Values.Where(j => j.Spec.GpuMilli is null)
            .Select(j => new RunningJob(j.JobId, j.Entry!.Priority, j.Devices, At(j.Current.StartedAt), j.ExpectedEnd is { } end ? At(end) : null,
                Preemptible: !j.Draining, Queue: j.Spec.Queue, GpuType: GpuTypeOf(j.Devices)))
            .Concat(sharing?.Holders ?? [])
            .ToList();
        var at = At(now);
        Passes++;
        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, running, new IndexCapacity(Index, null, null), null, options, queues, sharing?.Devices), at);
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
            if (job.Spec.GpuMilli is null)
            {
                Index.MarkBusy(start.DeviceIds);
            }
            else
            {
                // A shared device is busy for whole-device work from its first tenant until its last leaves.
                var device = start.DeviceIds[0];
                if (Index.IsFree(device)) Index.MarkBusy([device]);
                _tenants[device] = _tenants.GetValueOrDefault(device) + 1;
            }

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
        var freed = job.Devices.Where(d => d != keepBusy);
        if (job.Spec.GpuMilli is not null)
        {
            var device = job.Devices[0];
            if (--_tenants[device] > 0) freed = [];
            else _tenants.Remove(device);
        }

        Index.MarkFree(freed);
        job.Devices = [];
    }

    /// <summary>The shared devices and their stand-in holders, as the grain's <see cref="SharingView"/> builds them;
    /// FGD's target workload is the shapes of the jobs held and waiting.</summary>
    private SharingView Sharing(List<WaitingJob> waiting, IReadOnlyDictionary<string, SimulatedJob> jobs)
    {
        var tenants = Holding.Values.Where(j => j.Spec.GpuMilli is not null)
            .Select(j => new RunningJob(j.JobId, j.Entry!.Priority, j.Devices, At(j.Current.StartedAt), j.ExpectedEnd is { } end ? At(end) : null,
                Preemptible: false, Queue: j.Spec.Queue, GpuType: GpuTypeOf(j.Devices), ChargedMilli: j.Spec.GpuMilli!.Value))
            .ToList();
        var shapes = Holding.Values.Concat(waiting.Select(w => jobs[w.JobId])).Select(j => SharingView.Shape(j.Gpus, j.Spec.GpuMilli, j.Spec.GpuType, _perNode));
        // A failed shared device has no tenants left (they all failed with it), so nothing is out of service here;
        // FGD is the daemon's default sharing policy (Orchestrator:Scheduler:GpuSharingPolicy).
        return SharingView.Of(topology, tenants, new HashSet<string>(), shapes, SharePolicyKind.Fgd);
    }

    public bool IsWaitingForVictims(string jobId) => _draining.ContainsKey(jobId);

    private string GpuTypeOf(IReadOnlyList<string> devices) => topology.GetDevice(devices[0]).GpuType;

    public static DateTimeOffset At(double seconds) => Epoch + TimeSpan.FromSeconds(seconds);
}
