using System.Globalization;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// What each queue uses per device type during one pass, checked against a <see cref="QuotaBook"/>: whether a
/// start fits the queue's quota, what it borrows, and the queue's dominant share (DRF). Usage is kept in thousandths
/// of a device (<see cref="GpuShareRules.Milli"/>), the unit GPU shares are packed in, so a share of 0.25 charges its
/// queue a quarter of a device, as Kueue charges the quantity a workload requests. Without a book (fair share on
/// queues that are only labels) nothing is refused and a share is the devices a queue uses over its weight.
/// </summary>
internal sealed class QuotaLedger
{
    private const int Milli = GpuShareRules.Milli;
    private readonly QuotaBook? _book;
    private readonly Dictionary<(string Queue, string Type), long> _used = [];

    /// <param name="book">The quotas to enforce; null to only count usage.</param>
    /// <param name="running">Jobs holding devices (and shares of devices); with a book each must name its device type.</param>
    public QuotaLedger(QuotaBook? book, IEnumerable<RunningJob> running)
    {
        _book = book;
        foreach (var job in running) Charge(job.Queue, job.GpuType, job.QuotaMilli);
    }

    public QuotaBook? Book => _book;

    /// <summary>Thousandths of devices of the type the queue holds.</summary>
    public long UsedMilli(string queue, string gpuType) => _used.GetValueOrDefault((queue, Key(gpuType)));

    /// <summary>Devices of the type the queue holds; a fraction when it holds shares.</summary>
    public double Used(string queue, string gpuType) => UsedMilli(queue, gpuType) / (double)Milli;

    /// <summary>Devices of the type the queue holds beyond its nominal quota.</summary>
    public double Borrowed(string queue, string gpuType) => BorrowedMilli(queue, gpuType) / (double)Milli;

    public bool IsBorrowing(string queue, string gpuType) => BorrowedMilli(queue, gpuType) > 0;

    /// <summary>Charges the queue <paramref name="milli"/> thousandths of devices of the type.</summary>
    public void Charge(string queue, string? gpuType, long milli) => Add(queue, gpuType, milli);

    public void Release(string queue, string? gpuType, long milli) => Add(queue, gpuType, -milli);

    /// <summary>
    /// Most whole devices of the type the queue may still start on: within nominal for a queue alone; for one in a
    /// cohort, within its borrowing limit and what the cohort's lendable quota has left after what other members draw on it.
    /// </summary>
    public int Headroom(string queue, string gpuType) => (int)Math.Min(int.MaxValue, Limits(queue, gpuType).Min(l => l.Milli) / Milli);

    /// <summary>Why starting <paramref name="milli"/> more thousandths of the type would break the queue's quota; null when it would not.</summary>
    public string? Refusal(string queue, string gpuType, long milli)
    {
        if (_book is null) return null;
        if (!_book.Defines(queue)) return $"queue '{queue}' is not defined by a Queue document";
        var binding = Limits(queue, gpuType).Where(l => l.Milli < milli).OrderBy(l => l.Milli).Select(l => l.Why).FirstOrDefault();
        return binding is null ? null : $"needs {Devices(milli)} {gpuType} device(s) from queue '{queue}', {binding}";
    }

    /// <summary>
    /// The queue's largest share of any device type, over its weight: its usage of the type over the devices all
    /// quotas give that type (DRF's dominant share), shares counted by their fraction. Without quotas for a type, its
    /// share is its device count.
    /// </summary>
    public double WeightedDominantShare(string queue)
    {
        var share = 0.0;
        foreach (var ((q, type), used) in _used)
        {
            if (!string.Equals(q, queue, StringComparison.Ordinal) || used <= 0) continue;
            var capacity = _book?.Capacity(type) ?? 0;
            share = Math.Max(share, (double)used / Milli / (capacity > 0 ? capacity : 1));
        }

        return share / (_book?.Weight(queue) ?? 1.0);
    }

    /// <summary>Whether the queue stays within its nominal quota of the type with <paramref name="milli"/> more
    /// thousandths of devices (Kueue's rule for a reclaiming start).</summary>
    public bool StaysWithinNominal(string queue, string gpuType, long milli) =>
        UsedMilli(queue, gpuType) + milli <= (long)(_book?.Nominal(queue, gpuType) ?? 0) * Milli;

    /// <summary>Thousandths of devices of the type the queue holds beyond its nominal quota.</summary>
    public long BorrowedMilli(string queue, string gpuType) =>
        _book is null ? 0 : Math.Max(0, UsedMilli(queue, gpuType) - (long)_book.Nominal(queue, gpuType) * Milli);

    private List<(long Milli, string? Why)> Limits(string queue, string gpuType)
    {
        var book = _book!;
        var used = UsedMilli(queue, gpuType);
        var nominal = (long)book.Nominal(queue, gpuType) * Milli;
        if (book.CohortOf(queue) is null)
            return [(Math.Max(0, nominal - used), $"which holds {Devices(used)} of its nominal {Devices(nominal)} and has no cohort to borrow from")];

        var limits = new List<(long, string?)>();
        if (book.BorrowingLimit(queue, gpuType) is { } borrowing)
            limits.Add((Math.Max(0, nominal + (long)borrowing * Milli - used),
                $"which holds {Devices(used)} of nominal {Devices(nominal)} plus borrowing limit {borrowing}"));

        // The cohort's lendable pool: every member's lendable quota. A member draws on it for what it uses beyond
        // its guaranteed part (its own lendable part included).
        var pool = 0L;
        var drawnByOthers = 0L;
        foreach (var member in book.CohortMembers(queue))
        {
            pool += (long)book.Lendable(member.Name, gpuType) * Milli;
            if (member.Name != queue) drawnByOthers += Math.Max(0, UsedMilli(member.Name, gpuType) - (long)book.Guaranteed(member.Name, gpuType) * Milli);
        }

        var guaranteed = (long)book.Guaranteed(queue, gpuType) * Milli;
        var lendableLeft = Math.Max(0, pool - drawnByOthers);
        limits.Add((Math.Max(0, guaranteed - used + lendableLeft),
            $"its cohort '{book.CohortOf(queue)}' has {Devices(lendableLeft)} of {Devices(pool)} lendable left and the queue holds {Devices(used)} (nominal {Devices(nominal)})"));
        return limits;
    }

    private void Add(string queue, string? gpuType, long milli)
    {
        var key = (queue, Key(gpuType));
        var now = _used.GetValueOrDefault(key) + milli;
        if (now < 0) throw new InvalidOperationException($"queue '{queue}' would use {Devices(now)} {gpuType} devices; usage cannot go below 0");
        _used[key] = now;
    }

    /// <summary>Thousandths as devices for messages: "4", "0.25".</summary>
    private static string Devices(long milli) => (milli / (double)Milli).ToString("0.###", CultureInfo.InvariantCulture);

    // Device types compare case-insensitively; a job of no known type counts under the empty name.
    private static string Key(string? gpuType) => gpuType?.ToLowerInvariant() ?? "";
}
