using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Queues;

/// <summary>The persisted queue and priority-class documents, by name.</summary>
[GenerateSerializer]
internal sealed class QueueRegistryRecord
{
    [Id(0)] public Dictionary<string, QueueSpec> Queues { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, PriorityClassSpec> PriorityClasses { get; set; } = new(StringComparer.Ordinal);

    public SchedulingDocuments ToDocuments() => new(
        Queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal).ToList(),
        PriorityClasses.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList());
}
