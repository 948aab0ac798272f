using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>
/// A fixed-seed simulation of a four-node cluster: random arrivals, priorities, sizes and run times (some without an
/// estimate, some overrunning it), decisions applied the way the grain applies them. Every pass is checked against
/// invariants that do not depend on how the pass reached its decisions.
/// </summary>
public sealed class SchedulingPassRandomizedTests
{
    private readonly Random _random = new(20261126);
    private readonly FakeCapacity _free = new(nodes: 4, gpusPerNode: 8);
    private readonly Dictionary<string, WaitingJob> _waiting = new();
    private readonly Dictionary<string, (RunningJob Job, WaitingJob Spec, DateTimeOffset ActualEnd)> _running = new();
    private readonly Dictionary<string, string> _holder = new();
    private DateTimeOffset _now = T0;
    private int _submitted;
    private int _starts;
    private int _backfills;
    private int _preemptions;
    private int _heldForReservation;

    [Fact]
    public void Over_many_random_passes_no_device_is_given_twice_and_no_job_starts_before_a_higher_priority_job_that_fits()
    {
        for (var pass = 0; pass < 1200; pass++)
        {
            _now += TimeSpan.FromMinutes(_random.Next(1, 16));
            FinishDueJobs();
            Submit();

            var inputs = new SchedulingInputs(_waiting.Values.ToList(), _running.Values.Select(r => r.Job).ToList(), _free);
            var outcome = SchedulingPass.Run(inputs, _now);

            CheckEveryWaitingJobIsDecidedOnce(inputs, outcome);
            Apply(outcome);
            CheckNoHigherPriorityJobThatFitsWasPassedOver(inputs, outcome);
            CheckBackfillOnReservedDevicesEndsInTime(outcome);
            CheckVictimDevicesGoOnlyToJobsAboveTheVictim(inputs, outcome);
            Assert.Equal(_free.TotalCount - _free.FreeCount, _holder.Count);
        }

        // The run must exercise every path, or the invariants above prove little.
        Assert.True(_starts > 300, $"only {_starts} starts");
        Assert.True(_backfills > 20, $"only {_backfills} backfills");
        Assert.True(_preemptions > 5, $"only {_preemptions} preemptions");
        Assert.True(_heldForReservation > 20, $"only {_heldForReservation} jobs held for a reservation");
    }

    private void FinishDueJobs()
    {
        foreach (var (id, run) in _running.Where(r => r.Value.ActualEnd <= _now).ToList())
        {
            Release(id, run.Job);
        }
    }

    private void Submit()
    {
        if (_waiting.Count >= 30 || _random.NextDouble() > 0.25)
        {
            return;
        }

        int[] tensors = [1, 2, 4, 8];
        int[] datas = [1, 2, 4];
        var layout = new ParallelLayout(tensors[_random.Next(tensors.Length)], 1, datas[_random.Next(datas.Length)]);
        TimeSpan? runtime = _random.NextDouble() < 0.1 ? null : TimeSpan.FromMinutes(_random.Next(5, 180));
        var id = $"job{_submitted}";
        _waiting[id] = Waiting(id, layout, priority: _random.Next(0, 4), sequence: _submitted++, runtime: runtime);
    }

    private void Apply(SchedulingOutcome outcome)
    {
        foreach (var decision in outcome.Decisions)
        {
            switch (decision)
            {
                case PreemptDecision preempt:
                    var victim = _running[preempt.JobId];
                    var forJob = _waiting[preempt.ForJobId];
                    Assert.True(victim.Job.Priority < forJob.Priority, $"{preempt.JobId} (priority {victim.Job.Priority}) preempted for {forJob.JobId} (priority {forJob.Priority})");
                    Release(preempt.JobId, victim.Job);
                    _waiting[preempt.JobId] = victim.Spec; // requeued with its original sequence
                    _preemptions++;
                    break;

                case StartDecision start:
                    var spec = _waiting[start.JobId];
                    Assert.Equal(spec.Demand.Layout!.WorldSize, start.DeviceIds.Count);
                    foreach (var device in start.DeviceIds)
                    {
                        Assert.True(_holder.TryAdd(device, start.JobId), $"device {device} given to {start.JobId} while {_holder.GetValueOrDefault(device)} holds it");
                    }

                    _free.MarkBusy(start.DeviceIds);
                    _waiting.Remove(start.JobId);
                    var actual = spec.EstimatedRuntime is { } estimate
                        ? TimeSpan.FromMinutes(estimate.TotalMinutes * (0.5 + (_random.NextDouble() * 0.8)))
                        : TimeSpan.FromMinutes(_random.Next(5, 240));
                    var running = new RunningJob(start.JobId, spec.Priority, start.DeviceIds, _now, _now + spec.EstimatedRuntime);
                    _running[start.JobId] = (running, spec, _now + actual);
                    _starts++;
                    _backfills += start.Backfilled ? 1 : 0;
                    break;

                case WaitDecision { Reason: WaitReason.WouldDelayReservation }:
                    _heldForReservation++;
                    break;
            }
        }
    }

    private void Release(string id, RunningJob job)
    {
        _free.MarkFree(job.DeviceIds);
        foreach (var device in job.DeviceIds)
        {
            Assert.Equal(id, _holder[device]);
            _holder.Remove(device);
        }

        _running.Remove(id);
    }

    private static void CheckEveryWaitingJobIsDecidedOnce(SchedulingInputs inputs, SchedulingOutcome outcome)
    {
        var decided = outcome.Decisions.Where(d => d is StartDecision or WaitDecision).Select(d => d.JobId).ToList();
        Assert.Equal(inputs.Waiting.Select(j => j.JobId).Order(), decided.Order());
    }

    /// <summary>
    /// For every job S started this pass and every job H still waiting with a higher priority: H must not fit in the
    /// devices left free plus S's (placement is monotone in the free devices, and the pass considered H, with at least
    /// those devices free, before S). The one exception is EASY's: H fits but would hold devices reserved for a head job
    /// of at least its priority past that job's reservation.
    /// </summary>
    private void CheckNoHigherPriorityJobThatFitsWasPassedOver(SchedulingInputs inputs, SchedulingOutcome outcome)
    {
        // Jobs preempted in this pass were not queued during it; they compete from the next pass on.
        var stillWaiting = inputs.Waiting.Where(w => _waiting.ContainsKey(w.JobId)).ToList();
        var reservation = outcome.Reservation;
        foreach (var started in outcome.Starts)
        {
            var startedPriority = _running[started.JobId].Job.Priority;
            foreach (var waiting in stillWaiting.Where(w => w.Priority > startedPriority))
            {
                var trial = _free.Clone();
                trial.MarkFree(started.DeviceIds);
                if (!trial.TryPlace(new PlacementDemand(waiting.Demand.Layout!, null, new HashSet<string>())).Succeeded)
                {
                    continue;
                }

                var head = reservation is null ? null : _waiting.GetValueOrDefault(reservation.JobId);
                var heldBack = head is not null && head.JobId != waiting.JobId && head.Priority >= waiting.Priority
                    && (waiting.EstimatedRuntime is null || reservation!.ExpectedStart is null || _now + waiting.EstimatedRuntime > reservation.ExpectedStart)
                    && !trial.TryPlace(new PlacementDemand(waiting.Demand.Layout!, null, reservation!.DeviceIds.ToHashSet())).Succeeded;
                Assert.True(heldBack, $"at {_now:O} {started.JobId} (priority {startedPriority}) started while {waiting.JobId} (priority {waiting.Priority}) fit and waited");
            }
        }
    }

    /// <summary>A job preempted this pass would preempt, next pass, a lower job that got its devices: no such churn.</summary>
    private void CheckVictimDevicesGoOnlyToJobsAboveTheVictim(SchedulingInputs inputs, SchedulingOutcome outcome)
    {
        foreach (var preempt in outcome.Preemptions)
        {
            var victim = inputs.Running.Single(r => r.JobId == preempt.JobId);
            foreach (var start in outcome.Starts.Where(s => s.DeviceIds.Intersect(victim.DeviceIds).Any()))
            {
                Assert.True(_running[start.JobId].Job.Priority > victim.Priority, $"{start.JobId} took devices of {victim.JobId}, preempted at no higher priority");
            }
        }
    }

    private void CheckBackfillOnReservedDevicesEndsInTime(SchedulingOutcome outcome)
    {
        if (outcome.Reservation is not { } reservation)
        {
            return;
        }

        foreach (var start in outcome.Starts.Where(s => s.Backfilled && s.DeviceIds.Intersect(reservation.DeviceIds).Any()))
        {
            Assert.NotNull(reservation.ExpectedStart);
            Assert.NotNull(start.EstimatedRuntime);
            Assert.True(_now + start.EstimatedRuntime <= reservation.ExpectedStart, $"{start.JobId} borrows reserved devices past {reservation.ExpectedStart:O}");
        }
    }
}
