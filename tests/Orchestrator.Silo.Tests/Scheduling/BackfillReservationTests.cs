using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>
/// Backfill judged by its effect: rerunning the pass with the backfilled job running must give the head the same
/// reservation, and a job the pass refused would, if forced to run, push the reservation back. Three nodes of 8:
/// node 0 is busy until +60 min, node 1 half busy until +600 min, node 2 free; the head needs two whole nodes, so it is
/// reserved nodes 0 and 2 from +60 min, and the free half of node 1 is spare.
/// </summary>
public sealed class BackfillReservationTests
{
    private readonly FakeCapacity _capacity = new(nodes: 3, gpusPerNode: 8);
    private readonly List<RunningJob> _running;
    private readonly WaitingJob _head = Waiting("head", new ParallelLayout(8, 1, 2), priority: 10, sequence: 0, runtime: Minutes(30));

    public BackfillReservationTests()
    {
        _running =
        [
            Running(_capacity, "node0", OnNode(0, 8), priority: 20, expectedEnd: T0.AddMinutes(60)),
            Running(_capacity, "node1-half", OnNode(1, 4), priority: 20, expectedEnd: T0.AddMinutes(600)),
        ];
    }

    [Fact]
    public void A_long_job_on_devices_the_head_will_not_need_backfills_without_moving_the_reservation()
    {
        var spare = Waiting("spare", new ParallelLayout(4, 1, 1), priority: 0, sequence: 1, runtime: Minutes(500));

        var outcome = SchedulingPass.Run(new SchedulingInputs([_head, spare], _running, _capacity), T0);

        var reservation = outcome.Reservation!;
        Assert.Equal(T0.AddMinutes(60), reservation.ExpectedStart);
        var start = Assert.Single(outcome.Starts);
        Assert.True(start.Backfilled);
        Assert.Empty(start.DeviceIds.Intersect(reservation.DeviceIds));
        Assert.Equal(reservation.ExpectedStart, ReservationWith(start, Minutes(500)).ExpectedStart);
    }

    [Fact]
    public void A_long_job_that_needs_reserved_devices_is_refused_because_it_would_push_the_reservation_back()
    {
        var greedy = Waiting("greedy", new ParallelLayout(8, 1, 1), priority: 0, sequence: 1, runtime: Minutes(500));

        var outcome = SchedulingPass.Run(new SchedulingInputs([_head, greedy], _running, _capacity), T0);

        Assert.Empty(outcome.Starts);
        Assert.Equal(WaitReason.WouldDelayReservation, Assert.Single(outcome.Waits, w => w.JobId == "greedy").Reason);

        // Had it started on the only whole free node, the head would have had to wait for it.
        var forced = new StartDecision("greedy", greedy.Demand.Layout!, OnNode(2, 8), Minutes(500), true, []);
        Assert.True(ReservationWith(forced, Minutes(500)).ExpectedStart > outcome.Reservation!.ExpectedStart);
    }

    [Fact]
    public void A_short_job_on_reserved_devices_backfills_without_moving_the_reservation()
    {
        var quick = Waiting("quick", new ParallelLayout(8, 1, 1), priority: 0, sequence: 1, runtime: Minutes(45));

        var outcome = SchedulingPass.Run(new SchedulingInputs([_head, quick], _running, _capacity), T0);

        var start = Assert.Single(outcome.Starts);
        Assert.NotEmpty(start.DeviceIds.Intersect(outcome.Reservation!.DeviceIds));
        Assert.Equal(outcome.Reservation.ExpectedStart, ReservationWith(start, Minutes(45)).ExpectedStart);
    }

    private ReserveDecision ReservationWith(StartDecision started, TimeSpan runtime)
    {
        var capacity = (FakeCapacity)_capacity.Clone();
        var backfilled = Running(capacity, started.JobId, started.DeviceIds, expectedEnd: T0 + runtime);
        var outcome = SchedulingPass.Run(new SchedulingInputs([_head], [.. _running, backfilled], capacity), T0);
        return outcome.Reservation!;
    }
}
