using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

public sealed class PreemptionTests
{
    private readonly FakeCapacity _capacity = new(nodes: 2, gpusPerNode: 8);

    [Fact]
    public void Among_equal_low_priorities_the_most_recently_started_job_is_preempted()
    {
        var older = Running(_capacity, "older", OnNode(0, 8), priority: 1, startedAt: T0.AddHours(-2));
        var newer = Running(_capacity, "newer", OnNode(1, 8), priority: 1, startedAt: T0.AddHours(-1));

        var outcome = Run([older, newer], Waiting("urgent", 8, priority: 10));

        var preempt = Assert.Single(outcome.Preemptions);
        Assert.Equal(("newer", "urgent"), (preempt.JobId, preempt.ForJobId));
        var start = Assert.Single(outcome.Starts);
        Assert.Equal(["newer"], start.PreemptedJobIds);
        Assert.Equal(newer.DeviceIds.Order(), start.DeviceIds.Order());
        Assert.True(outcome.Decisions.ToList().IndexOf(preempt) < outcome.Decisions.ToList().IndexOf(start));
    }

    [Fact]
    public void The_lowest_priority_job_is_preempted_before_a_more_recent_higher_one()
    {
        var lowest = Running(_capacity, "lowest", OnNode(0, 8), priority: 0, startedAt: T0.AddHours(-3));
        var low = Running(_capacity, "low", OnNode(1, 8), priority: 1, startedAt: T0.AddMinutes(-1));

        var outcome = Run([lowest, low], Waiting("urgent", 8, priority: 10));

        Assert.Equal("lowest", Assert.Single(outcome.Preemptions).JobId);
    }

    [Fact]
    public void Jobs_of_equal_priority_are_never_preempted()
    {
        var peer = Running(_capacity, "peer", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 10, expectedEnd: T0.AddHours(1));

        var outcome = Run([peer], Waiting("urgent", 8, priority: 10));

        Assert.Empty(outcome.Preemptions);
        Assert.Empty(outcome.Starts);
        Assert.Equal(T0.AddHours(1), outcome.Reservation!.ExpectedStart);
    }

    [Fact]
    public void Jobs_of_higher_priority_are_never_preempted()
    {
        var boss = Running(_capacity, "boss", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 50);

        var outcome = Run([boss], Waiting("urgent", 8, priority: 10));

        Assert.Empty(outcome.Preemptions);
    }

    [Fact]
    public void Nothing_is_preempted_when_stopping_every_lower_job_would_still_not_make_the_head_fit()
    {
        var low = Running(_capacity, "low", OnNode(0, 8), priority: 0);
        var high = Running(_capacity, "high", OnNode(1, 8), priority: 50, expectedEnd: T0.AddHours(2));

        var outcome = Run([low, high], Waiting("urgent", 16, priority: 10));

        Assert.Empty(outcome.Preemptions);
        Assert.Empty(outcome.Starts);
        Assert.NotNull(outcome.Reservation);
    }

    [Fact]
    public void A_cheap_victim_whose_devices_turn_out_useless_is_spared()
    {
        // Node 1 holds the cheapest victim next to a job that cannot be preempted, so freeing it alone never frees a
        // whole node; only node 0's job does, and then the cheap one need not stop at all.
        var node0 = Running(_capacity, "node0", OnNode(0, 8), priority: 1);
        var cheap = Running(_capacity, "cheap", OnNode(1, 2), priority: 0);
        var guard = Running(_capacity, "guard", OnNode(1, 6, first: 2), priority: 50);

        var outcome = Run([node0, cheap, guard], Waiting("urgent", new ParallelLayout(8, 1, 1), priority: 10));

        Assert.Equal(["node0"], outcome.Preemptions.Select(p => p.JobId));
        Assert.All(Assert.Single(outcome.Starts).DeviceIds, d => Assert.StartsWith("n0/", d));
    }

    [Fact]
    public void Several_victims_are_taken_when_one_is_not_enough()
    {
        var a = Running(_capacity, "a", OnNode(0, 4), priority: 0, startedAt: T0.AddMinutes(-5));
        var b = Running(_capacity, "b", OnNode(0, 4, first: 4), priority: 0, startedAt: T0.AddMinutes(-10));
        var other = Running(_capacity, "other", OnNode(1, 8), priority: 0, startedAt: T0.AddMinutes(-60));

        var outcome = Run([a, b, other], Waiting("urgent", new ParallelLayout(8, 1, 1), priority: 10));

        Assert.Equal(["a", "b"], outcome.Preemptions.Select(p => p.JobId).Order());
    }

    [Fact]
    public void Jobs_marked_not_preemptible_are_left_alone()
    {
        var pinned = Running(_capacity, "pinned", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 0) with { Preemptible = false };

        var outcome = Run([pinned], Waiting("urgent", 8, priority: 10));

        Assert.Empty(outcome.Preemptions);
    }

    [Fact]
    public void With_preemption_off_the_head_is_reserved_instead()
    {
        var low = Running(_capacity, "low", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 0, expectedEnd: T0.AddHours(1));

        var outcome = SchedulingPass.Run(
            new SchedulingInputs([Waiting("urgent", 8, priority: 10)], [low], _capacity, Options: new SchedulingOptions { Preemption = false }), T0);

        Assert.Empty(outcome.Preemptions);
        Assert.Equal(T0.AddHours(1), outcome.Reservation!.ExpectedStart);
    }

    [Fact]
    public void A_job_that_fits_without_preemption_preempts_nobody()
    {
        var low = Running(_capacity, "low", OnNode(0, 8), priority: 0);

        var outcome = Run([low], Waiting("urgent", 8, priority: 10));

        Assert.Empty(outcome.Preemptions);
        Assert.All(Assert.Single(outcome.Starts).DeviceIds, d => Assert.StartsWith("n1/", d));
    }

    [Fact]
    public void Devices_a_victim_frees_beyond_the_need_go_only_to_jobs_above_the_victim()
    {
        var victim = Running(_capacity, "victim", OnNode(0, 8), priority: 1);
        var guard = Running(_capacity, "guard", OnNode(1, 8), priority: 50, expectedEnd: T0.AddHours(1));

        var outcome = Run([victim, guard],
            Waiting("urgent", 4, priority: 10, sequence: 0, runtime: Minutes(10)),
            Waiting("above-victim", 2, priority: 5, sequence: 1, runtime: Minutes(10)),
            Waiting("equal-to-victim", 2, priority: 1, sequence: 2, runtime: Minutes(10)),
            Waiting("below-victim", 2, priority: 0, sequence: 3, runtime: Minutes(10)));

        // Otherwise the victim, requeued, would preempt those jobs on the very next pass.
        Assert.Equal(["urgent", "above-victim"], outcome.Starts.Select(s => s.JobId));
        Assert.Contains(outcome.Waits, w => w.JobId == "equal-to-victim");
        Assert.Contains(outcome.Waits, w => w.JobId == "below-victim");
    }

    private SchedulingOutcome Run(IReadOnlyList<RunningJob> running, params WaitingJob[] waiting) =>
        SchedulingPass.Run(new SchedulingInputs(waiting, running, _capacity), T0);
}
