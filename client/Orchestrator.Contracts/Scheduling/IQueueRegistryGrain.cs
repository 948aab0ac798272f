using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// The queue and priority-class documents of the cluster (key <c>default</c>), persisted. Applying replaces documents
/// of the same kind and name and keeps the others; deleting removes one; the scheduler is told of every change.
/// </summary>
public interface IQueueRegistryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and stores documents (all or none), and returns one line per document: <c>queue/NAME created</c>,
    /// <c>configured</c> or <c>unchanged</c>.
    /// </summary>
    /// <exception cref="Jobs.JobSpecException">A document breaks a rule; nothing is stored.</exception>
    [Access(AccessScope.Role, Role.Admin, Audited = true)]
    Task<IReadOnlyList<string>> ApplyAsync(SchedulingDocuments documents);

    /// <summary>
    /// Removes one document and returns <c>queue/NAME deleted</c> (or <c>priorityclass/NAME deleted</c>). A queue that
    /// still has jobs waiting or holding devices is not deleted; once the last Queue document is gone queues are plain
    /// labels again (no quotas). A priority class may always be deleted: jobs that named it keep the priority it gave
    /// them at submission and from then on preempt as <see cref="PreemptionPolicy.LowerPriority"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No document of that kind and name is stored.</exception>
    /// <exception cref="InvalidOperationException">The queue still has waiting or running jobs (they are named).</exception>
    [Access(AccessScope.Role, Role.Admin, Audited = true)]
    Task<string> DeleteAsync(SchedulingDocumentKind kind, string name);

    /// <summary>Every stored document, sorted by name.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<SchedulingDocuments> GetAsync();
}
