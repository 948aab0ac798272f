using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Inventory;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Planner;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Cost;
using Orchestrator.Silo.Scheduling;
using ContractQueueEntry = Orchestrator.Contracts.Scheduling.QueueEntry;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduler: keeps the queues and allocations (persisted) and an in-memory free-capacity index rebuilt from
/// them on activation; each pass hands the pure <see cref="SchedulingPass"/> a snapshot and applies its decisions,
/// telling job grains to start or stop with one-way calls.
/// </summary>
internal sealed partial class SchedulerGrain(
    [PersistentState("scheduler", StorageNames.Durable)] IPersistentState<SchedulerRecord> store,
    IOptions<SchedulerOptions> options,
    OrchestratorMetrics metrics,
    TimeProvider time,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain, IRemindable
{
    private const string KeepAliveReminder = "scheduler-keepalive";
    private readonly Dictionary<string, string> _waitReasons = [];
    private ClusterTopology? _topology;
    private InventorySnapshot? _inventory;
    private FreeCapacityIndex? _index;
    private JobQueues _queues = new();
    private readonly AutoLayoutChooser _auto = new();

    private SchedulerRecord State => store.State;

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queues = JobQueues.Restore(new QueueSnapshot(
            State.Waiting.Values.OrderBy(w => w.Sequence)
                .Select(w => new Scheduling.QueueEntry(w.Job.JobId, w.Job.Spec.Metadata.Queue, w.Job.Spec.Metadata.Priority, w.Sequence)).ToList(),
            State.NextSequence));
        await RebuildIndexAsync();
        await LoadDocumentsAsync();
        var period = options.Value.PassInterval;
        this.RegisterGrainTimer(_ => State.Waiting.Count > 0 ? RunPassAsync() : Task.CompletedTask,
            new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        foreach (var held in State.Allocations.Values)
            await WorkloadGrains.Of(GrainFactory, held.Job).WakeAsync();

        // A reminder brings the scheduler back on a surviving silo if the one hosting it dies.
        await this.RegisterOrUpdateReminder(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Each unfinished job also holds its own persistent reminder (JobGrain.Durability); evaluation shards do not, so
        // waking every placed workload here gets a shard whose silo left supervised again within a reminder period.
        foreach (var held in State.Allocations.Values.ToList())
            await WorkloadGrains.Of(GrainFactory, held.Job).WakeAsync();
        await RunPassAsync();
    }

    public async Task EnqueueAsync(QueuedJob job)
    {
        Release(job.JobId);
        var entry = _queues.Enqueue(job.JobId, job.Spec.Metadata.Queue, job.Spec.Metadata.Priority);
        State.NextSequence = _queues.Snapshot().NextSequence;
        State.Waiting[job.JobId] = new WaitingRecord(job, entry.Sequence);
        await store.WriteStateAsync();
        await RunPassAsync();
    }

    public async Task RemoveAsync(string jobId)
    {
        _queues.Remove(jobId);
        _auto.Forget(jobId);
        _throughput.Forget(jobId);
        var removed = State.Waiting.Remove(jobId) | State.Draining.Remove(jobId) | State.Planned.Remove(jobId);
        removed |= Release(jobId);

        _waitReasons.Remove(jobId);
        if (!removed) return;
        await store.WriteStateAsync();
        await RunPassAsync();
    }

    public Task ReleaseAsync(string jobId, int attempt) => RemoveAsync(jobId);

    public Task<bool> TracksAsync(string jobId) => Task.FromResult(State.Waiting.ContainsKey(jobId) || State.Allocations.ContainsKey(jobId));

    public async Task RunPassAsync()
    {
        if (_index is null || State.Waiting.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        var now = Now;
        await ReleaseOverdueVictimsAsync(now);
        var waiting = PassWaiting(now);
        var sharing = SharingView.Of(_topology!, State.Allocations.Values, State.Health, State.Waiting.Values.Select(w => w.Job), options.Value.GpuSharingPolicy);
        var running = State.Allocations.Values.Where(a => !SharingView.IsShare(a.Job))
            .Select(a => new RunningJob(a.Job.JobId, a.Job.Spec.Metadata.Priority, a.DeviceIds, a.StartedAt, a.ExpectedEnd, Preemptible: !IsDraining(a.Job.JobId),
                Queue: a.Job.Spec.Metadata.Queue, GpuType: GpuTypeOf(a)))
            .Concat(sharing.Holders).ToList();
        var suspect = State.Health.Where(h => h.Value == GpuHealth.Suspect).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        var placements = new Dictionary<string, PlacementResult>();
        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, running, new IndexCapacity(_index, metrics, placements), suspect, PassOptions, _book, sharing.Devices), now);

        // A victim keeps its devices until it has checkpointed and released them; its preemptor waits for that
        // (Kueue likewise admits the preemptor only once the evicted workloads are gone).
        foreach (var preempt in outcome.Preemptions)
        {
            if (!State.Allocations.TryGetValue(preempt.JobId, out var victim)) continue;
            State.Draining.TryAdd(preempt.ForJobId, []);
            State.DrainingSince.TryAdd(preempt.ForJobId, now);
            State.Draining[preempt.ForJobId].Add(preempt.JobId);
            if (outcome.Starts.FirstOrDefault(s => s.JobId == preempt.ForJobId) is { } planned)
                State.Planned[preempt.ForJobId] = new PlannedStart(planned.DeviceIds.Count, GpuTypeOf(planned.DeviceIds));
            await store.WriteStateAsync(); // persisted before the one-way call acts on it
            await WorkloadGrains.Of(GrainFactory, victim.Job).PreemptAsync($"{preempt.Reason} (for {preempt.ForJobId})");
            metrics.JobPreempted();
        }

        foreach (var start in outcome.Starts.Where(s => !State.Draining.ContainsKey(s.JobId)))
            await StartAsync(start, now, placements.GetValueOrDefault(IndexCapacity.Key(start.DeviceIds)));

        _waitReasons.Clear();
        foreach (var wait in outcome.Waits) _waitReasons[wait.JobId] = $"{wait.Reason}: {wait.Detail}";
        foreach (var w in State.Waiting.Values.Where(w => w.Job.NotBefore > now))
            _waitReasons[w.Job.JobId] = $"restart backoff until {w.Job.NotBefore:HH:mm:ss}";
        foreach (var (preemptor, victims) in State.Draining)
            _waitReasons[preemptor] = $"waiting for preempted job(s) {string.Join(", ", victims)} to checkpoint and release their devices";
        if (outcome.Reservation is { } reservation)
            _waitReasons[reservation.JobId] = reservation.ExpectedStart is { } at
                ? $"head of the queue: {reservation.DeviceIds.Count} devices reserved from {at:u} (when running jobs are expected to end)"
                : $"head of the queue: {reservation.DeviceIds.Count} devices reserved for when running jobs end (no runtime estimates)";

        if (outcome.Starts.Any() || outcome.Preemptions.Any()) await store.WriteStateAsync();
        metrics.SchedulingPassSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The waiting jobs a pass at <paramref name="now"/> considers: not in restart backoff, not waiting for victims.</summary>
    private List<WaitingJob> PassWaiting(DateTimeOffset now) => State.Waiting.Values
            .Where(w => (w.Job.NotBefore is null || w.Job.NotBefore <= now) && !State.Draining.ContainsKey(w.Job.JobId))
            .Select(w => new WaitingJob(w.Job.JobId, w.Job.Spec.Metadata.Priority, w.Sequence, Demand(w.Job.JobId, w.Job.Spec),
                Estimated(w.Job) && _auto.EstimateFixed(w.Job.JobId, w.Job.Spec) is { } fixedPlan ? TimeSpan.FromSeconds(fixedPlan.IterationSeconds * w.Job.Spec.Training.Steps) : null,
                // Devices that left the inventory (a Kubernetes node lost) are not candidates anyway.
                PreferToAvoid: w.Job.AvoidDevices.Where(id => _topology!.TryGetDevice(id, out _)).ToHashSet(StringComparer.Ordinal),
                Queue: w.Job.Spec.Metadata.Queue, Preemption: PreemptionOf(w.Job), Throughput: ThroughputOf(w.Job),
                Planned: State.Planned.GetValueOrDefault(w.Job.JobId)))
            .ToList();

    public Task<QueueView> GetQueueAsync()
    {
        var waiting = WaitingOrder()
            .Select((id, i) => Entry(State.Waiting[id].Job, false, i + 1, _waitReasons.GetValueOrDefault(id, "waiting for the next scheduling pass")))
            .ToList();
        var runningJobs = State.Allocations.Values
            .OrderBy(a => a.StartedAt)
            .Select(a => Entry(a.Job, true, 0, $"holds {a.DeviceIds.Count} device(s) since {a.StartedAt:u}"))
            .ToList();
        return Task.FromResult(new QueueView(waiting, runningJobs, _index?.FreeCount() ?? 0, _topology?.Devices.Count ?? 0, QueueUsages()));
    }

    public Task<ClusterView> GetClusterViewAsync()
    {
        if (_inventory is null) return Task.FromResult(new ClusterView("(none)", "(none)", [], []));
        var holders = State.Allocations.Values.SelectMany(a => a.DeviceIds.Select(d => (d, a.Job.JobId))).GroupBy(x => x.d)
            .ToDictionary(g => g.Key, g => string.Join(",", g.Select(x => x.JobId))); // a shared device lists each tenant
        var nodes = _inventory.Nodes
            .OrderBy(n => n.Block, StringComparer.Ordinal).ThenBy(n => n.Rack, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new NodeView(n, Enumerable.Range(0, n.GpuCount).Select(i =>
            {
                var id = GpuDevice.FormatId(n.Name, i);
                return new GpuView(id, n.GpuType, State.Health.GetValueOrDefault(id, GpuHealth.Healthy), holders.GetValueOrDefault(id));
            }).ToList()))
            .ToList();
        return Task.FromResult(new ClusterView(_inventory.Name, _inventory.Source, nodes, _inventory.Links));
    }

    public async Task DeviceHealthChangedAsync(string deviceId, GpuHealth health)
    {
        if (health == GpuHealth.Healthy) State.Health.Remove(deviceId);
        else State.Health[deviceId] = health;
        var holders = State.Allocations.Values.Where(a => a.DeviceIds.Contains(deviceId)).ToList();
        if (_index is not null && _topology!.TryGetDevice(deviceId, out _) && holders.Count == 0)
        {
            var free = _index.IsFree(deviceId);
            if (Placeable(health) && !free) _index.MarkFree([deviceId]);
            else if (!Placeable(health) && free) _index.MarkBusy([deviceId]);
        }

        await store.WriteStateAsync();
        foreach (var holder in health == GpuHealth.Failed ? holders : [])
            await WorkloadGrains.Of(GrainFactory, holder.Job).DeviceFailedAsync(deviceId);
        await RunPassAsync();
    }

    public async Task InventoryChangedAsync()
    {
        await RebuildIndexAsync();
        await RunPassAsync();
    }

    private async Task StartAsync(StartDecision start, DateTimeOffset now, PlacementResult? placement)
    {
        if (!State.Waiting.Remove(start.JobId, out var waiting)) return;
        _queues.Remove(start.JobId);
        State.Planned.Remove(start.JobId);
        var expectedEnd = start.EstimatedRuntime is { } runtime ? now + runtime : (DateTimeOffset?)null;
        State.Allocations[start.JobId] = new AllocationRecord(waiting.Job, start.DeviceIds, now, expectedEnd);
        _index!.MarkBusy(SharingView.IsShare(waiting.Job) ? start.DeviceIds.Where(_index.IsFree) : start.DeviceIds); // a shared device is busy from its first tenant
        metrics.JobPlaced(waiting.Job.Spec.Metadata.Queue, waiting.Job.NotBefore ?? waiting.Job.EnqueuedAt, now, start.Backfilled);
        var spec = waiting.Job.Spec;
        var ranks = start.DeviceIds.Select((id, rank) => new PlacedRank(rank, id, _topology!.GetDevice(id).Node)).ToList();
        var shrunk = !spec.Parallelism.Auto && start.Layout.WorldSize < spec.Parallelism.WorldSize;
        var estimate = spec.Parallelism.Auto || shrunk ? _auto.EstimateFor(start.JobId, start.Layout) : Estimated(waiting.Job) ? _auto.EstimateFixed(start.JobId, spec) : null;
        var source = spec.Parallelism.Auto ? "planner" : shrunk ? $"shrunk from {spec.Parallelism.WorldSize} to {start.Layout.WorldSize} devices (minGpus {spec.Resources.EffectiveMinGpus}), planner" : "fixed, completed by the planner";
        var plan = estimate is not null && placement is not null
            ? SpecPlanning.Plan(Reprice(shrunk ? spec with { Parallelism = ParallelismSpec.Automatic } : spec, estimate, placement), $"{source}, priced for the links of its placement")
            : Plan(spec, start.Layout, estimate);
        _auto.Forget(start.JobId);
        _throughput.Forget(start.JobId);
        await store.WriteStateAsync(); // persisted before the one-way call acts on it
        await WorkloadGrains.Of(GrainFactory, waiting.Job).StartAttemptAsync(plan, ranks);
        LogStarted(start.JobId, start.Layout.ToString(), start.DeviceIds.Count, start.Backfilled);
    }

    /// <summary>The planner's estimate again, with the links each parallel group's traffic crosses in this placement.</summary>
    private PlanEstimate Reprice(TrainingJobSpec spec, PlanEstimate estimate, PlacementResult placement)
    {
        var links = GroupLinks.FromLevels(_topology!.Links,
            placement.LevelOf(ParallelGroupKind.Tensor), placement.LevelOf(ParallelGroupKind.Pipeline),
            placement.LevelOf(ParallelGroupKind.Data), placement.LevelOf(ParallelGroupKind.Expert));
        var request = SpecPlanning.Request(spec, PlanningCluster.ForGpuType(spec.Resources.GpuType!, estimate.Choice.Layout.WorldSize));
        return LayoutSearch.Evaluate(request, estimate.Choice, links);
    }

    private static JobPlan Plan(TrainingJobSpec spec, ParallelLayout layout, PlanEstimate? estimate)
    {
        if (estimate is not null) return SpecPlanning.Plan(estimate);
        var p = spec.Parallelism;
        // Without a planner estimate (CPU devices, or a fixed layout without a micro-batch): as many micro-batches
        // as samples per replica when pipelined (smallest bubble), else one micro-batch per replica.
        var perReplica = spec.Training.GlobalBatch / layout.Data;
        var microBatch = p.Auto ? perReplica : p.MicroBatch ?? (layout.Pipeline > 1 ? 1 : perReplica);
        // A fixed layout may run shrunk (fewer data-parallel replicas, down to resources.minGpus).
        var source = layout.Data == p.Data ? "fixed" : $"fixed, shrunk from d{p.Data} to d{layout.Data} on the devices left (minGpus {spec.Resources.EffectiveMinGpus})";
        return p.Auto
            ? new JobPlan(layout.Tensor, layout.Pipeline, layout.Data, layout.Expert, layout.VirtualStages, microBatch, "1f1b", "none", false, null, "auto: data-parallel over the CPU devices available")
            : new JobPlan(p.Tensor, p.Pipeline, layout.Data, p.Expert, p.VirtualStages, microBatch, p.Schedule, p.Recompute, p.SequenceParallel, null, source, p.Context);
    }

    private JobDemand Demand(string jobId, TrainingJobSpec spec) => spec.Resources.GpuMilli is { } share
        ? JobDemand.Shared(share, spec.Resources.GpuType)
        : spec.Parallelism.Auto
        ? JobDemand.Auto(spec.Resources.EffectiveMinGpus, spec.Resources.Gpus, _auto.For(jobId, spec), spec.Resources.GpuType)
        : spec.Resources.EffectiveMinGpus < spec.Parallelism.WorldSize
        ? JobDemand.Auto(spec.Resources.EffectiveMinGpus, spec.Parallelism.WorldSize, _auto.Elastic(jobId, spec), spec.Resources.GpuType)
        : JobDemand.Fixed(new ParallelLayout(spec.Parallelism.Tensor, spec.Parallelism.Pipeline, spec.Parallelism.Data, spec.Parallelism.Expert, spec.Parallelism.VirtualStages, spec.Parallelism.Context), spec.Resources.GpuType);

    private ContractQueueEntry Entry(QueuedJob job, bool running, int position, string reason) => new(
        job.JobId, job.Spec.Metadata.Name, job.Spec.Metadata.Queue, job.Spec.Metadata.Priority,
        State.Allocations.TryGetValue(job.JobId, out var held) ? held.DeviceIds.Count : job.Spec.Resources.Gpus, running, position, reason, job.EnqueuedAt);

    /// <summary>Frees a job's devices, if it holds any, and ends any wait of a preemptor on it.</summary>
    private bool Release(string jobId)
    {
        foreach (var (preemptor, victims) in State.Draining.Where(d => d.Value.Remove(jobId)).ToList())
        {
            if (victims.Count == 0) State.Draining.Remove(preemptor);
        }

        if (!State.Allocations.Remove(jobId, out var held)) return false;
        Free(held.DeviceIds.Where(id => !State.Allocations.Values.Any(a => a.DeviceIds.Contains(id)))); // a shared device frees with its last tenant
        return true;
    }

    /// <summary>Only training is priced by the planner; an evaluation shard's spec is just the placement it needs.</summary>
    private static bool Estimated(QueuedJob job) => job.Kind == WorkloadKind.Training;

    private bool IsDraining(string jobId) => State.Draining.Values.Any(victims => victims.Contains(jobId));

    private void Free(IEnumerable<string> deviceIds)
    {
        if (_index is null) return;
        _index.MarkFree(deviceIds.Where(id => _topology!.TryGetDevice(id, out _) && Placeable(State.Health.GetValueOrDefault(id, GpuHealth.Healthy))));
    }

    private static bool Placeable(GpuHealth health) => health is GpuHealth.Healthy or GpuHealth.Suspect;

    private async Task RebuildIndexAsync()
    {
        _inventory = await GrainFactory.GetGrain<IClusterGrain>("default").GetInventoryAsync();
        // No schedulable node (every Kubernetes node NotReady or cordoned): nothing can be placed until one returns.
        if (_inventory is null || !_inventory.Nodes.Any(n => n.Schedulable))
        {
            _topology = null;
            _index = null;
            return;
        }

        _topology = InventoryMapping.ToTopology(_inventory);
        _auto.Topology = _topology;
        _index = new FreeCapacityIndex(_topology);
        var busy = State.Allocations.Values.SelectMany(a => a.DeviceIds)
            .Concat(State.Health.Where(h => !Placeable(h.Value)).Select(h => h.Key))
            .Where(id => _topology.TryGetDevice(id, out _))
            .Distinct(StringComparer.Ordinal);
        _index.MarkBusy(busy);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "started {JobId} as {Layout} on {Devices} device(s) (backfilled: {Backfilled})")]
    private partial void LogStarted(string jobId, string layout, int devices, bool backfilled);
}
