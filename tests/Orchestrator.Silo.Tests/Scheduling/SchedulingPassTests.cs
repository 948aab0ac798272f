using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

public sealed class SchedulingPassTests
{
    [Fact]
    public void Jobs_start_by_priority_then_submit_order()
    {
        var capacity = new FakeCapacity(nodes: 4, gpusPerNode: 8);
        var waiting = new[]
        {
            Waiting("low-first", 8, priority: 0, sequence: 0, runtime: Minutes(10)),
            Waiting("high-late", 8, priority: 5, sequence: 3, runtime: Minutes(10)),
            Waiting("mid", 8, priority: 2, sequence: 1, runtime: Minutes(10)),
            Waiting("high-early", 8, priority: 5, sequence: 2, runtime: Minutes(10)),
            Waiting("low-second", 8, priority: 0, sequence: 4, runtime: Minutes(10)),
        };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [], capacity), T0);

        Assert.Equal(["high-early", "high-late", "mid", "low-first"], outcome.Starts.Select(s => s.JobId));
        var wait = Assert.Single(outcome.Waits);
        Assert.Equal("low-second", wait.JobId);
        Assert.Equal(WaitReason.InsufficientCapacity, wait.Reason);
    }

    [Fact]
    public void A_gang_that_does_not_fit_whole_gets_no_devices_at_all()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var running = Running(capacity, "holder", OnNode(0, 6), expectedEnd: T0.AddMinutes(30));

        // 10 devices are free but no rank is handed out unless all 12 are.
        var outcome = SchedulingPass.Run(new SchedulingInputs([Waiting("gang", 12, runtime: Minutes(10))], [running], capacity), T0);

        Assert.Empty(outcome.Starts);
        Assert.Equal(WaitReason.InsufficientCapacity, Assert.Single(outcome.Waits).Reason);
        Assert.Equal(T0.AddMinutes(30), outcome.Reservation!.ExpectedStart);
        Assert.Equal(12, outcome.Reservation.DeviceIds.Count);
    }

    [Fact]
    public void A_gang_whose_tensor_groups_would_straddle_nodes_waits_even_when_enough_devices_are_free()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var left = Running(capacity, "left", OnNode(0, 4), expectedEnd: T0.AddMinutes(20));
        var right = Running(capacity, "right", OnNode(1, 4), expectedEnd: T0.AddMinutes(40));

        // 8 devices free, 4 per node: a tensor group of 8 fits on neither node.
        var job = Waiting("tp8", new ParallelLayout(8, 1, 1), runtime: Minutes(10));
        var outcome = SchedulingPass.Run(new SchedulingInputs([job], [left, right], capacity), T0);

        Assert.Empty(outcome.Starts);
        Assert.Equal(T0.AddMinutes(20), outcome.Reservation!.ExpectedStart);
        Assert.All(outcome.Reservation.DeviceIds, d => Assert.StartsWith("n0/", d));
    }

    [Fact]
    public void A_started_gang_gets_one_distinct_free_device_per_rank()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var running = Running(capacity, "holder", OnNode(0, 2));

        var outcome = SchedulingPass.Run(new SchedulingInputs([Waiting("gang", new ParallelLayout(2, 2, 2))], [running], capacity), T0);

        var start = Assert.Single(outcome.Starts);
        Assert.Equal(8, start.DeviceIds.Distinct().Count());
        Assert.All(start.DeviceIds, d => Assert.True(capacity.IsFree(d)));
        Assert.False(start.Backfilled);
    }

    [Fact]
    public void A_job_larger_than_the_cluster_waits_as_exceeding_it_and_blocks_nobody()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var waiting = new[] { Waiting("huge", 32, priority: 9, sequence: 0), Waiting("small", 4, priority: 0, sequence: 1) };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [], capacity), T0);

        Assert.Equal(WaitReason.ExceedsCluster, Assert.Single(outcome.Waits, w => w.JobId == "huge").Reason);
        var start = Assert.Single(outcome.Starts);
        Assert.Equal("small", start.JobId);
        Assert.False(start.Backfilled);
        Assert.Null(outcome.Reservation);
    }

    [Fact]
    public void A_job_asking_for_a_device_type_the_cluster_lacks_exceeds_it()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8, gpuType: "h100-80gb");

        var outcome = SchedulingPass.Run(new SchedulingInputs([Waiting("a100-job", 4, gpuType: "a100-80gb")], [], capacity), T0);

        Assert.Equal(WaitReason.ExceedsCluster, Assert.Single(outcome.Waits).Reason);
    }

    [Fact]
    public void Devices_a_job_must_avoid_are_never_given_to_it()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var avoid = OnNode(0, 8).ToHashSet();
        var job = Waiting("burned", 8) with { AvoidDevices = avoid };

        var outcome = SchedulingPass.Run(new SchedulingInputs([job], [], capacity), T0);

        Assert.All(Assert.Single(outcome.Starts).DeviceIds, d => Assert.StartsWith("n1/", d));
    }

    [Fact]
    public void Devices_a_job_prefers_to_avoid_are_used_only_when_nothing_else_fits()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var failedOn = OnNode(0, 8).ToHashSet();

        var roomy = SchedulingPass.Run(new SchedulingInputs([Waiting("retry", 8) with { PreferToAvoid = failedOn }], [], capacity), T0);
        Assert.All(Assert.Single(roomy.Starts).DeviceIds, d => Assert.StartsWith("n1/", d));

        var tight = SchedulingPass.Run(new SchedulingInputs([Waiting("retry", 16) with { PreferToAvoid = failedOn }], [], capacity), T0);
        Assert.Equal(16, Assert.Single(tight.Starts).DeviceIds.Count);
    }

    [Fact]
    public void Suspect_devices_are_used_only_when_nothing_else_fits()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var suspect = OnNode(1, 8).ToHashSet();
        var waiting = new[] { Waiting("first", 8, sequence: 0), Waiting("second", 8, sequence: 1) };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [], capacity, suspect), T0);

        var starts = outcome.Starts.ToDictionary(s => s.JobId);
        Assert.All(starts["first"].DeviceIds, d => Assert.StartsWith("n0/", d));
        Assert.All(starts["second"].DeviceIds, d => Assert.StartsWith("n1/", d));
    }

    [Fact]
    public void An_automatic_job_gets_the_largest_layout_the_planner_picks_for_the_free_devices()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var running = Running(capacity, "holder", OnNode(0, 8).Concat(OnNode(1, 2)).ToList(), expectedEnd: T0.AddHours(1));
        var offers = new List<int>();
        var job = new WaitingJob("auto", 0, 0, JobDemand.Auto(2, 16, PowerOfTwoDataParallel(offers)), null);

        var outcome = SchedulingPass.Run(new SchedulingInputs([job], [running], capacity), T0);

        var start = Assert.Single(outcome.Starts);
        Assert.Equal(4, start.Layout.WorldSize);
        Assert.Equal(TimeSpan.FromMinutes(240 / 4), start.EstimatedRuntime);
        Assert.Equal(6, offers[0]);
    }

    [Fact]
    public void An_automatic_job_below_its_minimum_waits_with_a_reservation()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);
        var running = Running(capacity, "holder", OnNode(0, 8).Concat(OnNode(1, 2)).ToList(), expectedEnd: T0.AddHours(1));
        var job = new WaitingJob("auto", 0, 0, JobDemand.Auto(8, 16, PowerOfTwoDataParallel([])), null);

        var outcome = SchedulingPass.Run(new SchedulingInputs([job], [running], capacity), T0);

        Assert.Empty(outcome.Starts);
        Assert.Equal(T0.AddHours(1), outcome.Reservation!.ExpectedStart);
        Assert.Equal(16, outcome.Reservation.Layout.WorldSize);
    }

    [Fact]
    public void A_layout_chooser_that_oversteps_the_offer_is_reported_as_a_bug()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 8);
        var job = new WaitingJob("auto", 0, 0, JobDemand.Auto(1, 8, _ => new LayoutChoice(new ParallelLayout(1, 1, 16), null)), null);

        var error = Assert.Throws<InvalidOperationException>(() => SchedulingPass.Run(new SchedulingInputs([job], [], capacity), T0));
        Assert.Contains("offered 8", error.Message);
    }

    [Fact]
    public void The_pass_does_not_change_the_capacity_it_is_given()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8);

        SchedulingPass.Run(new SchedulingInputs([Waiting("a", 8), Waiting("b", 4, sequence: 1)], [], capacity), T0);

        Assert.Equal(16, capacity.FreeCount);
    }

    [Fact]
    public void Inputs_that_list_a_job_twice_are_refused()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 8);
        var running = Running(capacity, "dup", OnNode(0, 2));

        var error = Assert.Throws<ArgumentException>(() => SchedulingPass.Run(new SchedulingInputs([Waiting("dup", 2)], [running], capacity), T0));
        Assert.Contains("dup", error.Message);
    }

    [Fact]
    public void Inputs_where_two_running_jobs_hold_one_device_are_refused()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 8);
        var first = Running(capacity, "first", OnNode(0, 2));
        var second = new RunningJob("second", 0, OnNode(0, 1), T0, null);

        var error = Assert.Throws<ArgumentException>(() => SchedulingPass.Run(new SchedulingInputs([], [first, second], capacity), T0));
        Assert.Contains("n0/0", error.Message);
    }

    [Fact]
    public void Inputs_where_a_held_device_is_also_free_are_refused()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 8);
        var ghost = new RunningJob("ghost", 0, OnNode(0, 1), T0, null);

        var error = Assert.Throws<ArgumentException>(() => SchedulingPass.Run(new SchedulingInputs([], [ghost], capacity), T0));
        Assert.Contains("free", error.Message);
    }

    [Fact]
    public void A_fixed_demand_with_a_malformed_layout_is_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => JobDemand.Fixed(new ParallelLayout(0, 1, 1)));
        Assert.Contains("parallelism.tensor", error.Message);
    }

    [Fact]
    public void An_automatic_demand_with_minimum_above_maximum_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => JobDemand.Auto(8, 4, _ => null));
        Assert.Contains("resources.minGpus", error.Message);
    }

    /// <summary>A stand-in planner: pure data parallelism on the largest power of two offered; 240 device-minutes of work.</summary>
    private static LayoutChooser PowerOfTwoDataParallel(List<int> offers) => available =>
    {
        offers.Add(available);
        var devices = 1;
        while (devices * 2 <= available)
        {
            devices *= 2;
        }

        return new LayoutChoice(new ParallelLayout(1, 1, devices), TimeSpan.FromMinutes(240.0 / devices));
    };
}
