using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// The queue and priority-class documents of the cluster (key <c>default</c>), persisted. Applying replaces documents
/// of the same kind and name and keeps the others; the scheduler is told of every change.
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

    /// <summary>Every stored document, sorted by name.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<SchedulingDocuments> GetAsync();
}
