using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduler;

/// <summary>The scheduler's copy of the queue and priority-class documents, and what passes need from them.</summary>
internal sealed partial class SchedulerGrain
{
    private SchedulingDocuments _documents = SchedulingDocuments.Empty;
    private QuotaBook? _book;

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
}
