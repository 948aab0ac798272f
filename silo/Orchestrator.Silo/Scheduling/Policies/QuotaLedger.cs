namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// Devices each queue uses per device type during one pass, checked against a <see cref="QuotaBook"/>: whether a
/// start fits the queue's quota, what it borrows, and the queue's dominant share (DRF). Without a book (fair share on
/// queues that are only labels) nothing is refused and a share is the devices a queue uses over its weight.
/// </summary>
internal sealed class QuotaLedger
{
    private readonly QuotaBook? _book;
    private readonly Dictionary<(string Queue, string Type), int> _used = [];

    /// <param name="book">The quotas to enforce; null to only count usage.</param>
    /// <param name="running">Jobs holding devices; with a book each must name its device type.</param>
    public QuotaLedger(QuotaBook? book, IEnumerable<RunningJob> running)
    {
        _book = book;
        foreach (var job in running) Charge(job.Queue, job.GpuType, job.DeviceIds.Count);
    }

    public QuotaBook? Book => _book;

    public int Used(string queue, string gpuType) => _used.GetValueOrDefault((queue, Key(gpuType)));

    /// <summary>Devices of the type the queue holds beyond its nominal quota.</summary>
    public int Borrowed(string queue, string gpuType) => _book is null ? 0 : Math.Max(0, Used(queue, gpuType) - _book.Nominal(queue, gpuType));

    public bool IsBorrowing(string queue, string gpuType) => Borrowed(queue, gpuType) > 0;

    public void Charge(string queue, string? gpuType, int devices) => Add(queue, gpuType, devices);

    public void Release(string queue, string? gpuType, int devices) => Add(queue, gpuType, -devices);

    /// <summary>
    /// Most devices of the type the queue may still start on: within nominal for a queue alone; for one in a cohort,
    /// within its borrowing limit and what the cohort's lendable quota has left after what other members draw on it.
    /// </summary>
    public int Headroom(string queue, string gpuType) => Limits(queue, gpuType).Min(l => l.Devices);

    /// <summary>Why starting <paramref name="devices"/> more of the type would break the queue's quota; null when it would not.</summary>
    public string? Refusal(string queue, string gpuType, int devices)
    {
        if (_book is null) return null;
        if (!_book.Defines(queue)) return $"queue '{queue}' is not defined by a Queue document";
        var binding = Limits(queue, gpuType).Where(l => l.Devices < devices).OrderBy(l => l.Devices).Select(l => l.Why).FirstOrDefault();
        return binding is null ? null : $"needs {devices} {gpuType} device(s) from queue '{queue}', {binding}";
    }

    /// <summary>
    /// The queue's largest share of any device type, over its weight: its usage of the type over the devices all
    /// quotas give that type (DRF's dominant share). Without quotas for a type, its share is its device count.
    /// </summary>
    public double WeightedDominantShare(string queue)
    {
        var share = 0.0;
        foreach (var ((q, type), used) in _used)
        {
            if (!string.Equals(q, queue, StringComparison.Ordinal) || used <= 0) continue;
            var capacity = _book?.Capacity(type) ?? 0;
            share = Math.Max(share, capacity > 0 ? (double)used / capacity : used);
        }

        return share / (_book?.Weight(queue) ?? 1.0);
    }

    private List<(int Devices, string? Why)> Limits(string queue, string gpuType)
    {
        var book = _book!;
        var used = Used(queue, gpuType);
        var nominal = book.Nominal(queue, gpuType);
        if (book.CohortOf(queue) is null)
            return [(Math.Max(0, nominal - used), $"which holds {used} of its nominal {nominal} and has no cohort to borrow from")];

        var limits = new List<(int, string?)>();
        if (book.BorrowingLimit(queue, gpuType) is { } borrowing)
            limits.Add((Math.Max(0, nominal + borrowing - used), $"which holds {used} of nominal {nominal} plus borrowing limit {borrowing}"));

        // The cohort's lendable pool: every member's lendable quota. A member draws on it for what it uses beyond
        // its guaranteed part (its own lendable part included).
        var pool = 0;
        var drawnByOthers = 0;
        foreach (var member in book.CohortMembers(queue))
        {
            pool += book.Lendable(member.Name, gpuType);
            if (member.Name != queue) drawnByOthers += Math.Max(0, Used(member.Name, gpuType) - book.Guaranteed(member.Name, gpuType));
        }

        var guaranteed = book.Guaranteed(queue, gpuType);
        var left = Math.Max(0, guaranteed - used + Math.Max(0, pool - drawnByOthers));
        limits.Add((left, $"its cohort '{book.CohortOf(queue)}' has {Math.Max(0, pool - drawnByOthers)} of {pool} lendable left and the queue holds {used} (nominal {nominal})"));
        return limits;
    }

    private void Add(string queue, string? gpuType, int devices)
    {
        var key = (queue, Key(gpuType));
        var now = _used.GetValueOrDefault(key) + devices;
        if (now < 0) throw new InvalidOperationException($"queue '{queue}' would use {now} {gpuType} devices; usage cannot go below 0");
        _used[key] = now;
    }

    // Device types compare case-insensitively; a job of no known type counts under the empty name.
    private static string Key(string? gpuType) => gpuType?.ToLowerInvariant() ?? "";
}
