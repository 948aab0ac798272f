using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>
/// EASY backfill. Two nodes of 8: "early" holds node 0 until +60 min, "late" holds half of node 1 until +120 min, so 4
/// devices are free now and the 16-device head can only start at +120 min.
/// </summary>
public sealed class BackfillTests
{
    private readonly FakeCapacity _capacity = new(nodes: 2, gpusPerNode: 8);
    private readonly RunningJob[] _running;
    private readonly WaitingJob _head = Waiting("head", 16, priority: 10, sequence: 0, runtime: Minutes(30));

    public BackfillTests()
    {
        _running =
        [
            Running(_capacity, "early", OnNode(0, 8), priority: 20, expectedEnd: T0.AddMinutes(60)),
            Running(_capacity, "late", OnNode(1, 4), priority: 20, expectedEnd: T0.AddMinutes(120)),
        ];
    }

    [Fact]
    public void The_blocked_head_is_reserved_for_when_enough_running_jobs_have_ended()
    {
        var outcome = Run(_head);

        var reservation = outcome.Reservation!;
        Assert.Equal("head", reservation.JobId);
        Assert.Equal(T0.AddMinutes(120), reservation.ExpectedStart);
        Assert.Equal(16, reservation.DeviceIds.Count);
    }

    [Fact]
    public void A_short_job_that_ends_before_the_reservation_backfills()
    {
        var outcome = Run(_head, Waiting("short", 4, priority: 0, sequence: 1, runtime: Minutes(90)));

        var start = Assert.Single(outcome.Starts);
        Assert.Equal("short", start.JobId);
        Assert.True(start.Backfilled);
    }

    [Fact]
    public void A_job_that_ends_exactly_at_the_reservation_backfills()
    {
        var outcome = Run(_head, Waiting("exact", 4, priority: 0, sequence: 1, runtime: Minutes(120)));

        Assert.Equal("exact", Assert.Single(outcome.Starts).JobId);
    }

    [Fact]
    public void A_job_that_would_still_hold_reserved_devices_at_the_reservation_waits()
    {
        var outcome = Run(_head, Waiting("long", 4, priority: 0, sequence: 1, runtime: Minutes(121)));

        Assert.Empty(outcome.Starts);
        var wait = Assert.Single(outcome.Waits, w => w.JobId == "long");
        Assert.Equal(WaitReason.WouldDelayReservation, wait.Reason);
        Assert.Contains("head", wait.Detail);
    }

    [Fact]
    public void A_job_without_a_runtime_estimate_never_borrows_reserved_devices()
    {
        var outcome = Run(_head, Waiting("unknown", 4, priority: 0, sequence: 1, runtime: null));

        Assert.Equal(WaitReason.WouldDelayReservation, Assert.Single(outcome.Waits, w => w.JobId == "unknown").Reason);
    }

    [Fact]
    public void A_job_that_does_not_fit_now_is_not_backfilled()
    {
        var outcome = Run(_head, Waiting("eight", 8, priority: 0, sequence: 1, runtime: Minutes(5)));

        Assert.Equal(WaitReason.InsufficientCapacity, Assert.Single(outcome.Waits, w => w.JobId == "eight").Reason);
    }

    [Fact]
    public void Backfilled_jobs_may_not_add_up_past_the_free_devices()
    {
        var outcome = Run(_head,
            Waiting("a", 3, priority: 0, sequence: 1, runtime: Minutes(10)),
            Waiting("b", 2, priority: 0, sequence: 2, runtime: Minutes(10)),
            Waiting("c", 1, priority: 0, sequence: 3, runtime: Minutes(10)));

        Assert.Equal(["a", "c"], outcome.Starts.Select(s => s.JobId));
        Assert.Equal(WaitReason.InsufficientCapacity, Assert.Single(outcome.Waits, w => w.JobId == "b").Reason);
    }

    [Fact]
    public void With_backfill_off_everything_behind_the_head_waits()
    {
        var inputs = new SchedulingInputs([_head, Waiting("short", 1, sequence: 1, runtime: Minutes(1))], _running, _capacity,
            Options: new SchedulingOptions { Backfill = false });

        var outcome = SchedulingPass.Run(inputs, T0);

        Assert.Empty(outcome.Starts);
        Assert.Equal(WaitReason.BehindBlockedHead, Assert.Single(outcome.Waits, w => w.JobId == "short").Reason);
    }

    [Fact]
    public void Backfill_candidates_past_the_per_pass_bound_wait_for_the_next_pass()
    {
        var inputs = new SchedulingInputs(
            [_head, Waiting("tried", 1, sequence: 1, runtime: Minutes(1)), Waiting("untried", 1, sequence: 2, runtime: Minutes(1))],
            _running, _capacity, Options: new SchedulingOptions { MaxBackfillCandidates = 1 });

        var outcome = SchedulingPass.Run(inputs, T0);

        Assert.Equal("tried", Assert.Single(outcome.Starts).JobId);
        Assert.Equal(WaitReason.BeyondBackfillDepth, Assert.Single(outcome.Waits, w => w.JobId == "untried").Reason);
    }

    [Fact]
    public void When_running_jobs_have_no_estimate_the_reservation_has_no_time_and_only_spare_devices_are_backfilled()
    {
        var capacity = new FakeCapacity(nodes: 3, gpusPerNode: 8);
        var running = new[]
        {
            Running(capacity, "forever", OnNode(0, 8), priority: 20, expectedEnd: null),
            Running(capacity, "half", OnNode(1, 4), priority: 20, expectedEnd: null),
        };
        var head = Waiting("head", new ParallelLayout(8, 1, 2), priority: 10, sequence: 0);

        var outcome = SchedulingPass.Run(new SchedulingInputs(
            [head, Waiting("spare", new ParallelLayout(8, 1, 1), sequence: 1, runtime: Minutes(1)),
                Waiting("borrower", new ParallelLayout(4, 1, 1), sequence: 2, runtime: Minutes(1))],
            running, capacity), T0);

        var reservation = outcome.Reservation!;
        Assert.Null(reservation.ExpectedStart);
        var spare = Assert.Single(outcome.Starts);
        Assert.Equal("spare", spare.JobId);
        Assert.Empty(spare.DeviceIds.Intersect(reservation.DeviceIds));

        // Only the reserved half node is left; with no known start even a one-minute job could delay the head.
        Assert.Equal(WaitReason.WouldDelayReservation, Assert.Single(outcome.Waits, w => w.JobId == "borrower").Reason);
    }

    private SchedulingOutcome Run(params WaitingJob[] waiting) => SchedulingPass.Run(new SchedulingInputs(waiting, _running, _capacity), T0);
}
