using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Queues;

/// <summary>
/// Holds the Queue and PriorityClass documents (persisted, so they survive a restart) and hands every change (apply or
/// delete) to the scheduler, which keeps its own copy for its passes.
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

    public async Task<string> DeleteAsync(SchedulingDocumentKind kind, string name)
    {
        IReadOnlyCollection<string> names = kind switch
        {
            SchedulingDocumentKind.Queue => store.State.Queues.Keys,
            SchedulingDocumentKind.PriorityClass => store.State.PriorityClasses.Keys,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be Queue or PriorityClass"),
        };
        var label = kind.ToString().ToLowerInvariant();
        if (string.IsNullOrEmpty(name) || !names.Contains(name))
            throw new ArgumentException(names.Count == 0
                ? $"{label} '{name}' is not defined: no {kind} document is applied"
                : $"{label} '{name}' is not defined; defined: {string.Join(", ", names.Order(StringComparer.Ordinal))}");

        var scheduler = GrainFactory.GetGrain<ISchedulerGrain>("default");
        if (kind == SchedulingDocumentKind.Queue)
        {
            // Its jobs would wait forever on a queue that no longer exists; the admin decides what becomes of them.
            var view = await scheduler.GetQueueAsync();
            var jobs = view.Waiting.Concat(view.Running).Where(e => e.Queue == name).ToList();
            if (jobs.Count > 0)
                throw new InvalidOperationException(
                    $"queue '{name}' still has {jobs.Count(e => !e.Running)} waiting and {jobs.Count(e => e.Running)} running job(s) " +
                    $"({string.Join(", ", jobs.Take(5).Select(e => e.JobId))}{(jobs.Count > 5 ? ", ..." : "")}); cancel them or let them finish, then delete it");
            store.State.Queues.Remove(name);
        }
        else
        {
            store.State.PriorityClasses.Remove(name);
        }

        await store.WriteStateAsync();
        await scheduler.DocumentsChangedAsync(store.State.ToDocuments());
        return $"{label}/{name} deleted";
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
