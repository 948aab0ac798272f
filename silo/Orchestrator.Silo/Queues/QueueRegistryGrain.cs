using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Queues;

/// <summary>
/// Holds the Queue and PriorityClass documents (persisted, so they survive a restart) and hands every change to the
/// scheduler, which keeps its own copy for its passes.
/// </summary>
internal sealed class QueueRegistryGrain(
    [PersistentState("queues", StorageNames.Durable)] IPersistentState<QueueRegistryRecord> store) : Grain, IQueueRegistryGrain
{
    public async Task<IReadOnlyList<string>> ApplyAsync(SchedulingDocuments documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var errors = SchedulingDocumentsValidator.Validate(documents);
        if (errors.Count > 0) throw new JobSpecException(errors, "scheduling document");

        var results = new List<string>();
        foreach (var queue in documents.Queues)
            results.Add($"queue/{queue.Name} {Put(store.State.Queues, queue.Name, queue, SameQueue)}");
        foreach (var priorityClass in documents.PriorityClasses)
            results.Add($"priorityclass/{priorityClass.Name} {Put(store.State.PriorityClasses, priorityClass.Name, priorityClass, (a, b) => a == b)}");
        if (results.Any(r => !r.EndsWith(" unchanged", StringComparison.Ordinal)))
        {
            await store.WriteStateAsync();
            await GrainFactory.GetGrain<ISchedulerGrain>("default").DocumentsChangedAsync(store.State.ToDocuments());
        }

        return results;
    }

    public Task<SchedulingDocuments> GetAsync() => Task.FromResult(store.State.ToDocuments());

    private static string Put<T>(Dictionary<string, T> stored, string name, T document, Func<T, T, bool> same)
    {
        if (stored.TryGetValue(name, out var old) && same(old, document)) return "unchanged";
        var verb = old is null ? "created" : "configured";
        stored[name] = document;
        return verb;
    }

    // Records compare lists by reference; a queue is unchanged when its quotas are the same in the same order.
    private static bool SameQueue(QueueSpec a, QueueSpec b) =>
        a with { Quotas = [] } == b with { Quotas = [] } && a.Quotas.SequenceEqual(b.Quotas);
}
