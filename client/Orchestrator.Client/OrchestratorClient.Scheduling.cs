using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Client;

/// <summary>The SDK's queue and priority-class documents.</summary>
public sealed partial class OrchestratorClient
{
    /// <summary>Validates and stores Queue and PriorityClass documents (all or none); one result line per document.</summary>
    /// <exception cref="JobSpecException">A document breaks a rule; nothing was stored.</exception>
    public Task<IReadOnlyList<string>> ApplyAsync(SchedulingDocuments documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var errors = SchedulingDocumentsValidator.Validate(documents);
        if (errors.Count > 0) throw new JobSpecException(errors, "scheduling document");
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IQueueRegistryGrain>("default").ApplyAsync(documents);
    }

    /// <summary>
    /// Deletes one Queue or PriorityClass document; returns <c>queue/NAME deleted</c> or <c>priorityclass/NAME deleted</c>.
    /// A queue with waiting or running jobs is refused; deleting the last Queue document turns quotas off; jobs that
    /// named a deleted class keep their priority and preempt as <see cref="PreemptionPolicy.LowerPriority"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No such document.</exception>
    /// <exception cref="InvalidOperationException">The queue still has jobs (named in the message).</exception>
    public Task<string> DeleteDocumentAsync(SchedulingDocumentKind kind, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IQueueRegistryGrain>("default").DeleteAsync(kind, name);
    }

    /// <summary>The Queue and PriorityClass documents the control plane holds.</summary>
    public Task<SchedulingDocuments> GetSchedulingDocumentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IQueueRegistryGrain>("default").GetAsync();
    }
}
