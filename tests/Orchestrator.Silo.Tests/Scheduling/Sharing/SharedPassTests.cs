using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Sharing;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling.Sharing;

/// <summary>Shares of devices through the scheduling pass: packed by the sharing policy, never mixed with whole-device gangs.</summary>
public sealed class SharedPassTests
{
    private static readonly TargetWorkload Workload = new([
        new WorkloadShape(new ShareTask(0, 0, 1, 500), 0.5),
        new WorkloadShape(new ShareTask(0, 0, 4, 1000), 0.5),
    ]);

    private static SharedDevices Shares(IReadOnlyDictionary<string, int>? tenants = null, IReadOnlySet<string>? outOfService = null) => new(
        [new ShareNodeDevices("n0", "h100-80gb", OnNode(0, 4))],
        (tenants ?? new Dictionary<string, int>()).Select(t => Tenant("tenant-" + t.Key, t.Key, t.Value)).ToList(),
        outOfService ?? new HashSet<string>(),
        SharePolicyKind.Fgd,
        Workload);

    /// <summary>A fractional job holding <paramref name="milli"/> of <paramref name="device"/>.</summary>
    internal static RunningJob Tenant(string id, string device, int milli, string queue = "default") =>
        new(id, 0, [device], T0, null, Preemptible: false, Queue: queue, GpuType: "h100-80gb", ChargedMilli: milli);

    private static WaitingJob Share(string id, int milli, int priority = 0, long sequence = 0) =>
        new(id, priority, sequence, JobDemand.Shared(milli), null);

    /// <summary>A device with fractional tenants, as the scheduler hands it to the pass: one stand-in holder, busy in the capacity.</summary>
    private static RunningJob Tenanted(FakeCapacity capacity, string device) =>
        Running(capacity, "shared-device:" + device, [device]) with { Preemptible = false };

    [Fact]
    public void A_share_stays_a_share_when_queue_quotas_pick_its_device_type()
    {
        // With Queue documents a job that leaves its type open is tried once per type of its queue's quota (OfType);
        // a share that lost its fraction there would be placed as a whole GPU.
        var typed = JobDemand.Shared(250).OfType("h100");

        Assert.Equal(250, typed.GpuMilli);
        Assert.Equal("h100", typed.GpuType);
    }

    [Fact]
    public void A_whole_gpu_gang_never_lands_on_a_shared_device()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var holder = Tenanted(capacity, "n0/0");
        var waiting = new[] { Waiting("gang3", 3, priority: 5, sequence: 0), Waiting("gang4", 4, sequence: 1) };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [holder], capacity, Shares: Shares(new Dictionary<string, int> { ["n0/0"] = 400 })), T0);

        var start = Assert.Single(outcome.Starts);
        Assert.Equal("gang3", start.JobId);
        Assert.DoesNotContain("n0/0", start.DeviceIds);
        Assert.Equal(WaitReason.InsufficientCapacity, Assert.Single(outcome.Waits, w => w.JobId == "gang4").Reason);
        Assert.Empty(outcome.Preemptions); // a shared device's tenants are never preempted for a gang
    }

    [Fact]
    public void A_share_started_in_the_pass_takes_its_device_out_of_whole_gpu_use()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var waiting = new[] { Share("share", 250, priority: 5), Waiting("gang4", 4, sequence: 1) };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [], capacity, Shares: Shares()), T0);

        var start = Assert.Single(outcome.Starts);
        Assert.Equal("share", start.JobId);
        Assert.Equal(1, start.Layout.WorldSize);
        Assert.Equal(WaitReason.InsufficientCapacity, Assert.Single(outcome.Waits, w => w.JobId == "gang4").Reason);
        Assert.Equal(4, outcome.Reservation!.DeviceIds.Count); // waits for the share to end, then gets every device
    }

    [Fact]
    public void Shares_pack_onto_a_shared_device_and_never_onto_one_held_whole()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var whole = Running(capacity, "whole", OnNode(0, 2, first: 1));
        var holder = Tenanted(capacity, "n0/0");
        var waiting = new[] { Share("a", 500, sequence: 0), Share("b", 500, sequence: 1), Share("c", 500, sequence: 2) };

        var outcome = SchedulingPass.Run(new SchedulingInputs(waiting, [whole, holder], capacity,
            Shares: Shares(new Dictionary<string, int> { ["n0/0"] = 500 })), T0);

        // a fills the half-used n0/0 (leaving no fragment); b and c share the one free device, n0/3.
        Assert.Equal(["n0/0", "n0/3", "n0/3"], outcome.Starts.Select(s => Assert.Single(s.DeviceIds)));
    }

    [Fact]
    public void A_share_that_fits_nowhere_waits_and_so_does_one_on_a_cluster_without_sharing()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var whole = Running(capacity, "whole", OnNode(0, 3, first: 1));
        var holder = Tenanted(capacity, "n0/0");

        var full = SchedulingPass.Run(new SchedulingInputs([Share("big", 700)], [whole, holder], capacity,
            Shares: Shares(new Dictionary<string, int> { ["n0/0"] = 400 })), T0);
        var unshared = SchedulingPass.Run(new SchedulingInputs([Share("any", 100)], [], new FakeCapacity(nodes: 1, gpusPerNode: 4)), T0);
        var failed = SchedulingPass.Run(new SchedulingInputs([Share("small", 100)], [whole, holder], capacity,
            Shares: Shares(new Dictionary<string, int> { ["n0/0"] = 400 }, new HashSet<string> { "n0/0" })), T0);

        var wait = Assert.Single(full.Waits);
        Assert.Equal(WaitReason.InsufficientCapacity, wait.Reason);
        Assert.Contains("0.7 of a GPU", wait.Detail);
        Assert.Equal(WaitReason.ExceedsCluster, Assert.Single(unshared.Waits).Reason);
        Assert.Empty(failed.Starts); // a tenanted device out of service takes no new share
    }
}
