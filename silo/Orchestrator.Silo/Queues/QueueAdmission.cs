using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Queues;

/// <summary>
/// Checks a submission's queue and priority class against the applied documents and resolves the class to its value,
/// as Kubernetes' admission sets a pod's priority from its PriorityClass once, at creation (a later change to the
/// class moves no job already submitted). With no Queue document any queue name is a label, as before quotas; once
/// one is applied, a job must name a defined queue.
/// </summary>
internal static class QueueAdmission
{
    public static (JobMetadata Metadata, IReadOnlyList<SpecError> Errors) Resolve(JobMetadata metadata, SchedulingDocuments documents)
    {
        var errors = new List<SpecError>();
        if (documents.Queues.Count > 0 && documents.Queues.All(q => q.Name != metadata.Queue))
            errors.Add(new SpecError("metadata.queue",
                $"queue '{metadata.Queue}' is not defined; defined queues: {string.Join(", ", documents.Queues.Select(q => q.Name))}"));

        if (metadata.PriorityClass is not { } name) return (metadata, errors);
        if (metadata.Priority != 0)
            errors.Add(new SpecError("metadata.priorityClass", "give metadata.priority or metadata.priorityClass, not both: a class sets the priority"));
        var found = documents.PriorityClasses.FirstOrDefault(c => c.Name == name);
        if (found is null)
        {
            errors.Add(new SpecError("metadata.priorityClass", documents.PriorityClasses.Count == 0
                ? $"priority class '{name}' is not defined: no PriorityClass document is applied (orch apply)"
                : $"priority class '{name}' is not defined; defined classes: {string.Join(", ", documents.PriorityClasses.Select(c => c.Name))}"));
            return (metadata, errors);
        }

        return (metadata with { Priority = found.Value }, errors);
    }
}
