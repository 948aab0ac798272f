using System.Collections.Frozen;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// One scheduling pass: pure, synchronous and deterministic (the time is passed in). Waiting jobs are taken by
/// priority, then submit sequence. Each starts if all its ranks place on free devices. The first one that cannot is the
/// head: it may preempt strictly lower-priority running jobs; if that does not make it fit it gets a reservation, and
/// later jobs may only backfill: start now if they fit in the free devices and either end before the reservation or
/// avoid the devices held for the head (EASY backfill), so the head is never delayed by a job behind it. The policy
/// (<see cref="SchedulingOptions.Policy"/>) may reorder the jobs (fair share), choose a device type for a job that
/// leaves it open, refuse a start beyond its queue's quota (a quota-refused job waits without becoming the head), and
/// limit what a blocked job may preempt; see <see cref="PassPolicy"/>.
/// </summary>
internal static class SchedulingPass
{
    public static SchedulingOutcome Run(SchedulingInputs inputs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        SchedulingInputsValidation.Validate(inputs);
        return new Pass(inputs, now).Run();
    }

    /// <summary>The mutable working state of one pass; lives only for the call.</summary>
    private sealed class Pass
    {
        private readonly SchedulingInputs _inputs;
        private readonly DateTimeOffset _now;
        private readonly SchedulingOptions _options;
        private readonly ICapacity _free;
        private ICapacity? _whole;
        private readonly DemandResolver _resolver;
        private readonly ResolutionMemo _freeMemo = new();
        private readonly ResolutionMemo _wholeMemo = new();
        private readonly PassPolicy _policy;
        private readonly Dictionary<string, RunningJob> _active;
        private readonly HashSet<string> _runningAtStart;
        private readonly List<SchedulingDecision> _decisions = [];
        private ReserveDecision? _reservation;
        private WaitingJob? _head;
        // The free devices less those held for the head: where a backfill may go in any case. Kept as a capacity of its
        // own rather than as an avoid list, so each backfill candidate does not walk the head's (often thousands of)
        // reserved device ids; placement on it is the same as placement on the free devices avoiding them.
        private ICapacity? _outsideReservation;
        private readonly ResolutionMemo _outsideMemo = new();

        // Devices freed by preemption that the preempting job did not need, with the victim's priority: jobs below it
        // may not take them this pass, or the victim, back in its queue next pass, would preempt them right away.
        private readonly Dictionary<string, int> _victimLeftovers = new(StringComparer.Ordinal);
        private int _backfillTried;
        private readonly Sharing.SharedDevices? _shares;

        public Pass(SchedulingInputs inputs, DateTimeOffset now)
        {
            _inputs = inputs;
            _now = now;
            _options = inputs.Options ?? SchedulingOptions.Default;
            _free = inputs.Capacity.Clone();
            _resolver = new DemandResolver(inputs.SuspectDevices ?? FrozenSet<string>.Empty);
            _active = inputs.Running.ToDictionary(r => r.JobId, StringComparer.Ordinal);
            _runningAtStart = new HashSet<string>(_active.Keys, StringComparer.Ordinal);
            _policy = new PassPolicy(inputs, _options);
            _shares = inputs.Shares?.Clone();
        }

        public SchedulingOutcome Run()
        {
            foreach (var waiting in _policy.Order(_inputs.Waiting))
            {
                if (Choose(waiting, _reservation is null) is not { } job)
                {
                    continue;
                }

                if (_reservation is null)
                {
                    ConsiderBeforeHead(job);
                }
                else
                {
                    ConsiderForBackfill(job);
                }
            }

            return new SchedulingOutcome(_decisions);
        }

        private void ConsiderBeforeHead(WaitingJob job)
        {
            if (job.Demand.GpuMilli is { } share)
            {
                StartShared(job, share);
                return;
            }

            var now = _resolver.Resolve(job, _free, LeftoversClaimedAbove(job));
            if (now.Succeeded)
            {
                Start(job, now, backfilled: false, preempted: []);
                return;
            }

            if (NeverFits(job) is { } never)
            {
                Wait(job, WaitReason.ExceedsCluster, never);
                return;
            }

            if (_options.Preemption && TryPreempt(job))
            {
                return;
            }

            var planner = new ReservationPlanner(_resolver);
            var reservation = planner.Plan(job, _free, _active.Values, _now)
                ?? throw new InvalidOperationException($"job {job.JobId} fits the whole cluster but no sequence of running jobs ending frees room for it");
            _reservation = reservation;
            _head = job;
            _outsideReservation = _free.Clone();
            _outsideReservation.MarkBusy(reservation.DeviceIds.Where(_free.IsFree));
            _decisions.Add(reservation);
            var when = reservation.ExpectedStart is { } start ? $"expected to start at {start:O}" : "start time unknown (running jobs without an estimate)";
            Wait(job, WaitReason.InsufficientCapacity, $"{now.FailureReason}; reserved {reservation.DeviceIds.Count} devices, {when}");
        }

        /// <summary>
        /// The form of the job to consider (its device type chosen, its demand within its queue's quota), or null when
        /// its quota refuses every form: it then waits (or reclaims lent quota by preemption) without becoming the head.
        /// </summary>
        private WaitingJob? Choose(WaitingJob job, bool beforeHead)
        {
            var (admitted, refused, why) = _policy.Admit(job);
            if (admitted.Count == 0)
            {
                // Quota, not devices, holds it back: it may still take back quota its queue lent, but never reserves.
                if (!(beforeHead && _options.Preemption && refused.Any(v => v.Demand.GpuMilli is null && TryPreempt(v)))) // a share never preempts
                {
                    Wait(job, WaitReason.QuotaExceeded, why!);
                }

                return null;
            }

            if (admitted.Count == 1)
            {
                return admitted[0];
            }

            // Several device types are allowed: the first that places now, else the first that could place at all.
            return admitted.FirstOrDefault(v => _resolver.Fits(v, _free, LeftoversClaimedAbove(v)).Succeeded)
                ?? admitted.FirstOrDefault(v => NeverFits(v) is null)
                ?? admitted[0];
        }

        private bool TryPreempt(WaitingJob job)
        {
            job = _policy.ForPreemption(job);
            // Jobs started in this pass are not candidates: they have at least the head's priority anyway.
            var candidates = _active.Values.Where(r => _runningAtStart.Contains(r.JobId));
            var plan = new PreemptionPlanner(_resolver).Plan(job, _free, candidates, LeftoversClaimedAbove(job),
                r => _policy.MayPreempt(job, r), _policy.QuotaCheck(job));
            if (plan is null)
            {
                return false;
            }

            foreach (var victim in plan.Victims)
            {
                _decisions.Add(new PreemptDecision(victim.JobId, job.JobId, _policy.IsReclaim(job, victim)
                    ? $"preempted by {job.JobId} of queue {job.Queue} to reclaim {victim.GpuType} quota lent to queue {victim.Queue}"
                    : $"preempted by {job.JobId} (priority {job.Priority} over {victim.Priority})"));
                _free.MarkFree(victim.DeviceIds);
                _freeMemo.Forget();
                _active.Remove(victim.JobId);
                _policy.Stopped(victim);
            }

            Start(job, plan.Placement, backfilled: false, plan.Victims.Select(v => v.JobId).ToList());
            var taken = plan.Placement.DeviceIds.ToHashSet(StringComparer.Ordinal);
            foreach (var victim in plan.Victims)
            {
                foreach (var device in victim.DeviceIds.Where(d => !taken.Contains(d)))
                {
                    _victimLeftovers[device] = victim.Priority;
                }
            }

            return true;
        }

        private void ConsiderForBackfill(WaitingJob job)
        {
            if (job.Demand.GpuMilli is { } share)
            {
                StartShared(job, share); // a share never takes a device reserved for the head, so never delays it
                return;
            }

            var head = _head!.JobId;
            if (!_options.Backfill)
            {
                Wait(job, WaitReason.BehindBlockedHead, $"waits behind {head}; backfill is off");
                return;
            }

            if (_backfillTried >= _options.MaxBackfillCandidates)
            {
                Wait(job, WaitReason.BeyondBackfillDepth, $"waits behind {head}; only {_options.MaxBackfillCandidates} jobs are tried for backfill per pass");
                return;
            }

            _backfillTried++;

            // Devices the head will not need are always fair game.
            var clearAvoid = LeftoversClaimedAbove(job);
            var clear = _outsideMemo.Resolve(job, clearAvoid, () => _resolver.Resolve(job, _outsideReservation!, clearAvoid));
            if (clear.Succeeded)
            {
                Start(job, clear, backfilled: true, preempted: []);
                return;
            }

            var anyAvoid = LeftoversClaimedAbove(job);
            var any = _freeMemo.Resolve(job, anyAvoid, () => _resolver.Resolve(job, _free, anyAvoid));
            if (!any.Succeeded)
            {
                if (NeverFits(job) is { } never)
                {
                    Wait(job, WaitReason.ExceedsCluster, never);
                }
                else
                {
                    Wait(job, WaitReason.InsufficientCapacity, any.FailureReason!);
                }

                return;
            }

            // Otherwise it may borrow the head's devices only if it gives them back in time.
            if (_reservation!.ExpectedStart is { } start && any.EstimatedRuntime is { } runtime && _now + runtime <= start)
            {
                Start(job, any, backfilled: true, preempted: []);
                return;
            }

            var end = any.EstimatedRuntime is { } known ? $"would end at {_now + known:O}" : "has no runtime estimate";
            var by = _reservation.ExpectedStart is { } s ? $"{s:O}" : "an unknown time";
            Wait(job, WaitReason.WouldDelayReservation,
                $"fits now but needs devices reserved for {head} from {by} and {end}");
        }

        /// <summary>Leftover victim devices <paramref name="job"/> may not take: those of victims of at least its priority.</summary>
        private IReadOnlySet<string>? LeftoversClaimedAbove(WaitingJob job)
        {
            if (_victimLeftovers.Count == 0)
            {
                return null;
            }

            var claimed = _victimLeftovers.Where(kv => kv.Value >= job.Priority).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
            return claimed.Count == 0 ? null : claimed;
        }

        private string? NeverFits(WaitingJob job)
        {
            var whole = _wholeMemo.Resolve(job, null, () => _resolver.Fits(job, _whole ??= Whole()));
            return whole.Succeeded ? null : $"does not fit even with every running job ended: {whole.FailureReason}";
        }

        /// <summary>
        /// Every healthy device, as if nothing ran: a job that does not fit here will not fit by waiting. Built on first
        /// use, from the inputs (not the pass's working copy), as it costs a walk over every held device.
        /// </summary>
        private ICapacity Whole()
        {
            var whole = _inputs.Capacity.Clone();
            foreach (var job in _inputs.Running)
            {
                whole.MarkFree(job.DeviceIds);
            }

            return whole;
        }

        private void Start(WaitingJob job, DemandResolution placement, bool backfilled, IReadOnlyList<string> preempted)
        {
            _free.MarkBusy(placement.DeviceIds);
            _freeMemo.Forget();
            if (_outsideReservation is { } outside)
            {
                // A backfill that ends before the head starts may hold reserved devices, which are busy here already.
                outside.MarkBusy(placement.DeviceIds.Where(outside.IsFree).ToList());
                _outsideMemo.Forget();
            }
            _active[job.JobId] = new RunningJob(job.JobId, job.Priority, placement.DeviceIds, _now,
                placement.EstimatedRuntime is { } runtime ? _now + runtime : null, Queue: job.Queue, GpuType: job.Demand.GpuType);
            _policy.Started(job, placement.DeviceIds.Count);
            _decisions.Add(new StartDecision(job.JobId, placement.Layout!, placement.DeviceIds, placement.EstimatedRuntime, backfilled, preempted));
        }

        /// <summary>A share of one device: packed by the sharing policy; it never preempts, reserves or blocks the queue.</summary>
        private void StartShared(WaitingJob job, int milli)
        {
            if (_shares is null)
            {
                Wait(job, WaitReason.ExceedsCluster, "asks for a share of a GPU but this cluster has no GPU sharing");
                return;
            }

            var placed = _shares.Place(job, milli, _free, _reservation?.DeviceIds.ToHashSet(StringComparer.Ordinal));
            if (!placed.Succeeded)
            {
                Wait(job, placed.Reason, placed.Detail);
                return;
            }

            if (_free.IsFree(placed.DeviceId!)) _free.MarkBusy([placed.DeviceId!]);
            var holder = Sharing.SharedDevices.HolderPrefix + placed.DeviceId;
            _active[holder] = Sharing.SharedDevices.Holder(placed.DeviceId!, _active.GetValueOrDefault(holder), job.Priority, _now,
                job.EstimatedRuntime is { } runtime ? _now + runtime : null);
            _policy.Started(job, 1); // charges its queue the share's thousandths
            _decisions.Add(new StartDecision(job.JobId, job.Demand.Layout!, [placed.DeviceId!], job.EstimatedRuntime, _reservation is not null, []));
        }

        private void Wait(WaitingJob job, WaitReason reason, string detail) =>
            _decisions.Add(new WaitDecision(job.JobId, reason, detail));
    }
}
