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

    /// <summary>With quotas, whether the job placed as <paramref name="placement"/> fits its queue's quota once the
    /// victims are gone; null (no check) without quotas.</summary>
    public Func<IReadOnlyList<RunningJob>, DemandResolution, bool>? QuotaCheck(WaitingJob job)
    {
        if (_book is null) return null;
        return (victims, placement) =>
        {
            foreach (var victim in victims) _ledger!.Release(victim.Queue, victim.GpuType, victim.QuotaMilli);
            try
            {
                return _ledger!.Refusal(job.Queue, job.Demand.GpuType!, (long)placement.DeviceIds.Count * Contracts.Jobs.GpuShareRules.Milli) is null;
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
