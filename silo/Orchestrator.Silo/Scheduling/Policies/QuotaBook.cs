using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// The queues' quota rules, read-only (Kueue's ClusterQueue and Cohort semantics). Per queue and device type: the
/// nominal quota; the part of it the queue lends (<c>lendingLimit</c>, all of it when not given) while its own use is
/// below nominal; the rest stays guaranteed to it; and how far beyond nominal it may borrow from its cohort's lendable
/// quota (<c>borrowingLimit</c>, unlimited when not given). A queue without a cohort uses at most its nominal quota.
/// Device types compare case-insensitively. Usage lives in a <see cref="QuotaLedger"/>.
/// </summary>
internal sealed class QuotaBook
{
    private static readonly StringComparer Types = StringComparer.OrdinalIgnoreCase;
    private readonly Dictionary<string, QueueSpec> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QueueSpec>> _cohorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _capacity = new(Types);

    public QuotaBook(IEnumerable<QueueSpec> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        foreach (var queue in queues)
        {
            if (!_queues.TryAdd(queue.Name, queue))
                throw new ArgumentException($"queue '{queue.Name}' is defined twice; each queue once", nameof(queues));
            if (queue.Cohort is { } cohort)
            {
                if (!_cohorts.TryGetValue(cohort, out var members)) _cohorts[cohort] = members = [];
                members.Add(queue);
            }

            foreach (var quota in queue.Quotas) _capacity[quota.GpuType] = _capacity.GetValueOrDefault(quota.GpuType) + quota.Nominal;
        }
    }

    public IReadOnlyCollection<QueueSpec> Queues => _queues.Values;

    public bool Defines(string queue) => _queues.ContainsKey(queue);

    public QueueSpec? Queue(string queue) => _queues.GetValueOrDefault(queue);

    /// <summary>Weight of a queue in fair sharing; 1 for a queue the book does not define.</summary>
    public double Weight(string queue) => Queue(queue)?.FairShareWeight ?? 1.0;

    /// <summary>Device types in the order the queue's document lists them (the order an untyped job tries them).</summary>
    public IReadOnlyList<string> TypesOf(string queue) => Queue(queue)?.Quotas.Select(q => q.GpuType).ToList() ?? [];

    /// <summary>The devices of a type all queues' nominal quotas add up to: the denominator of a dominant share.</summary>
    public int Capacity(string gpuType) => _capacity.GetValueOrDefault(gpuType);

    public int Nominal(string queue, string gpuType) => QuotaOf(queue, gpuType)?.Nominal ?? 0;

    /// <summary>The part of the nominal quota the cohort may borrow while the queue does not use it.</summary>
    public int Lendable(string queue, string gpuType) =>
        QuotaOf(queue, gpuType) is { } q ? Math.Min(q.LendingLimit ?? q.Nominal, q.Nominal) : 0;

    /// <summary>The part of the nominal quota never lent.</summary>
    public int Guaranteed(string queue, string gpuType) => Nominal(queue, gpuType) - Lendable(queue, gpuType);

    /// <summary>Most devices beyond nominal the queue may borrow; null for no limit.</summary>
    public int? BorrowingLimit(string queue, string gpuType) => QuotaOf(queue, gpuType)?.BorrowingLimit;

    public string? CohortOf(string queue) => Queue(queue)?.Cohort;

    /// <summary>The queues of a queue's cohort, itself included; just itself when it has no cohort.</summary>
    public IReadOnlyList<QueueSpec> CohortMembers(string queue) =>
        CohortOf(queue) is { } cohort ? _cohorts[cohort] : Queue(queue) is { } alone ? [alone] : [];

    /// <summary>Whether two queues lend each other quota (same cohort; a queue is not its own lender).</summary>
    public bool SameCohort(string first, string second) =>
        CohortOf(first) is { } cohort && string.Equals(cohort, CohortOf(second), StringComparison.Ordinal);

    private GpuQuota? QuotaOf(string queue, string gpuType) =>
        Queue(queue)?.Quotas.FirstOrDefault(q => Types.Equals(q.GpuType, gpuType));
}
