namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>
/// What one scheduling pass asks of its policy and the queues' quotas: the order of waiting jobs, the device-type
/// forms of a job it may start, whether a start fits the quota, and which running jobs a blocked one may stop. With
/// the default policy and no quota book every answer is the pass's behaviour before policies existed.
/// </summary>
internal sealed class PassPolicy
{
    private readonly SchedulingPolicyKind _kind;
    private readonly QuotaBook? _book;
    private readonly QuotaLedger? _ledger;
    private readonly DeviceTypeChoice _types;

    public PassPolicy(SchedulingInputs inputs, SchedulingOptions options)
    {
        _kind = options.Policy;
        _book = inputs.Queues;
        _ledger = _book is not null || _kind == SchedulingPolicyKind.FairShare ? new QuotaLedger(_book, inputs.Running.Concat(inputs.Shares?.Tenants ?? [])) : null;
        _types = new DeviceTypeChoice(_kind, inputs.Waiting);
    }

    /// <summary>Waiting jobs in the order the pass considers them (lazy under fair share: see <see cref="JobOrder"/>).</summary>
    public IEnumerable<WaitingJob> Order(IReadOnlyList<WaitingJob> waiting) => JobOrder.For(_kind, waiting, _ledger);

    /// <summary>The forms of the job its quota admits now, preferred first, and why the first refused one was
    /// refused (null when none was).</summary>
    public (IReadOnlyList<WaitingJob> Admitted, IReadOnlyList<WaitingJob> Refused, string? Why) Admit(WaitingJob job)
    {
        if (job.Planned is { } planned) job = job with { Demand = planned.Restrict(job.Demand) };
        var variants = _types.Variants(job, _book);
        if (_book is null) return (variants, [], null);
        if (variants.Count == 0)
            return ([], [], _book.Defines(job.Queue)
                ? $"queue '{job.Queue}' has no quota for any device type"
                : $"queue '{job.Queue}' is not defined by a Queue document");

        var admitted = new List<WaitingJob>();
        var refused = new List<WaitingJob>();
        string? why = null;
        foreach (var variant in variants)
        {
            var type = variant.Demand.GpuType!;
            if (_ledger!.Refusal(variant.Queue, type, variant.Demand.MinMilli) is { } refusal)
            {
                why ??= refusal;
                refused.Add(variant);
            }
            else
            {
                admitted.Add(variant with { Demand = variant.Demand.CappedAt(_ledger.Headroom(variant.Queue, type)) });
            }
        }

        return (admitted, refused, why);
    }

    /// <summary>Whether <paramref name="job"/> may stop <paramref name="victim"/>.</summary>
    public bool MayPreempt(WaitingJob job, RunningJob victim) => PreemptionRules.MayPreempt(job, victim, _kind, _ledger);

    /// <summary>
    /// The form in which a blocked job looks for victims: with quotas, an automatic job whose queue has nominal quota
    /// of the type left for it is offered no more than that, since reclaiming lent quota may never take its queue
    /// beyond nominal (Kueue's rule); otherwise the job as is.
    /// </summary>
    public WaitingJob ForPreemption(WaitingJob job)
    {
        if (_book is null || job.Demand.GpuType is not { } type) return job;
        var nominalLeft = (int)Math.Floor(_book.Nominal(job.Queue, type) - _ledger!.Used(job.Queue, type));
        return nominalLeft >= job.Demand.MinDevices ? job with { Demand = job.Demand.CappedAt(nominalLeft) } : job;
    }

    /// <summary>
    /// With quotas, whether the job placed as <paramref name="placement"/> fits its queue's quota once the victims are
    /// gone and, when it stops jobs of other queues, reclaims by Kueue's rules: its queue stays within its nominal
    /// quota with it started, and every victim of another queue is taken while that queue still borrows (all of that
    /// queue's victims but one add up to less than it borrows), so a reclaim never drives a lender's queue deep below
    /// its own nominal quota. Null (no check) without quotas.
    /// </summary>
    public Func<IReadOnlyList<RunningJob>, DemandResolution, bool>? QuotaCheck(WaitingJob job)
    {
        if (_book is null) return null;
        var type = job.Demand.GpuType!;
        return (victims, placement) =>
        {
            var reclaimed = victims.Where(v => v.Queue != job.Queue).GroupBy(v => v.Queue, StringComparer.Ordinal).ToList();
            if (reclaimed.Any(q => q.Sum(v => v.QuotaMilli) - q.Max(v => v.QuotaMilli) >= _ledger!.BorrowedMilli(q.Key, type)))
                return false;
            foreach (var victim in victims) _ledger!.Release(victim.Queue, victim.GpuType, victim.QuotaMilli);
            try
            {
                var milli = (long)placement.DeviceIds.Count * Contracts.Jobs.GpuShareRules.Milli;
                return _ledger!.Refusal(job.Queue, type, milli) is null
                    && (reclaimed.Count == 0 || _ledger.StaysWithinNominal(job.Queue, type, milli));
            }
            finally
            {
                foreach (var victim in victims) _ledger!.Charge(victim.Queue, victim.GpuType, victim.QuotaMilli);
            }
        };
    }

    /// <summary>Whether stopping the victim reclaims quota its queue borrowed (for the event's reason).</summary>
    public bool IsReclaim(WaitingJob job, RunningJob victim) =>
        _book is not null && victim.Queue != job.Queue && victim.GpuType is { } type && _ledger!.IsBorrowing(victim.Queue, type);

    /// <summary>Charges a start of <paramref name="devices"/> whole devices, or of one share when the job asks for one.</summary>
    public void Started(WaitingJob job, int devices) =>
        _ledger?.Charge(job.Queue, job.Demand.GpuType, job.Demand.GpuMilli ?? (long)devices * Contracts.Jobs.GpuShareRules.Milli);

    public void Stopped(RunningJob victim) => _ledger?.Release(victim.Queue, victim.GpuType, victim.QuotaMilli);
}
