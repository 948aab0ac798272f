using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduler;

/// <summary>The scheduler's copy of the queue and priority-class documents, and what passes need from them.</summary>
internal sealed partial class SchedulerGrain
{
    private SchedulingDocuments _documents = SchedulingDocuments.Empty;
    private QuotaBook? _book;
    private SchedulingOptions? _passOptions;
    private readonly ThroughputPredictor _throughput = new();

    // Parsed once: the configuration is validated at start, so a bad name never gets this far.
    private SchedulingOptions PassOptions => _passOptions ??= new SchedulingOptions
    {
        Policy = SchedulingPolicyNames.Parse(options.Value.Policy, "Orchestrator:Scheduler:Policy"),
    };

    public async Task DocumentsChangedAsync(SchedulingDocuments documents)
    {
        UseDocuments(documents);
        await RunPassAsync();
    }

    private async Task LoadDocumentsAsync() =>
        UseDocuments(await GrainFactory.GetGrain<IQueueRegistryGrain>("default").GetAsync());

    private void UseDocuments(SchedulingDocuments documents)
    {
        _documents = documents;
        // No Queue document: queues stay plain labels, exactly as before queues had quotas.
        _book = documents.Queues.Count == 0 ? null : new QuotaBook(documents.Queues);
    }

    /// <summary>What the job's priority class lets it preempt; a job without a class (or whose class was since
    /// removed) keeps the default, strictly lower priority.</summary>
    private PreemptionPolicy PreemptionOf(QueuedJob job) =>
        job.Spec.Metadata.PriorityClass is { } name && _documents.PriorityClasses.FirstOrDefault(c => c.Name == name) is { } found
            ? found.PreemptionPolicy
            : PreemptionPolicy.LowerPriority;

    /// <summary>The planner's throughput per device type, only where the heterogeneity-aware policy will use it.</summary>
    private IReadOnlyDictionary<string, double>? ThroughputOf(QueuedJob job) =>
        PassOptions.Policy == SchedulingPolicyKind.HeterogeneityAware && _inventory is not null
            ? _throughput.For(job, _inventory.Nodes.Select(n => n.GpuType))
            : null;

    /// <summary>The device type an allocation holds: its devices' (a job never spans types), else what it asked for.</summary>
    private string GpuTypeOf(AllocationRecord held) => GpuTypeOf(held.DeviceIds) ?? held.Job.Spec.Resources.GpuType ?? "unknown";

    private string? GpuTypeOf(IReadOnlyList<string> deviceIds) =>
        deviceIds.Select(id => _topology is not null && _topology.TryGetDevice(id, out var device) ? device.GpuType : null).FirstOrDefault(t => t is not null);

    /// <summary>Every allocation as what its queue uses: its devices of its device type.</summary>
    private IEnumerable<RunningJob> Holders() => State.Allocations.Values.Select(a => new RunningJob(
        a.Job.JobId, 0, a.DeviceIds, a.StartedAt, null, Queue: a.Job.Spec.Metadata.Queue, GpuType: GpuTypeOf(a),
        ChargedMilli: a.Job.Spec.Resources.GpuMilli ?? GpuShareRules.Milli));

    /// <summary>Per queue (defined by a document, or named by a job): quota, usage, borrowed, waiting, running.</summary>
    private List<QueueUsage> QueueUsages()
    {
        var ledger = new QuotaLedger(_book, Holders());
        var typesUsed = State.Allocations.Values
            .GroupBy(a => a.Job.Spec.Metadata.Queue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(GpuTypeOf).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), StringComparer.Ordinal);
        var names = _documents.Queues.Select(q => q.Name)
            .Concat(State.Waiting.Values.Select(w => w.Job.Spec.Metadata.Queue))
            .Concat(typesUsed.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return names.Select(name =>
        {
            var spec = _book?.Queue(name);
            var types = (spec?.Quotas.Select(q => q.GpuType) ?? [])
                .Concat(typesUsed.GetValueOrDefault(name) ?? [])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(t => new QueueTypeUsage(t, spec is null ? null : _book!.Nominal(name, t), ledger.Used(name, t), ledger.Borrowed(name, t)))
                .ToList();
            return new QueueUsage(name, spec is not null, spec?.Cohort, spec?.FairShareWeight ?? 1.0, types,
                State.Waiting.Values.Count(w => w.Job.Spec.Metadata.Queue == name),
                State.Allocations.Values.Count(a => a.Job.Spec.Metadata.Queue == name));
        }).ToList();
    }
}
