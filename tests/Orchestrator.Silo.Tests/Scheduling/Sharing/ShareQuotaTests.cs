using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using Orchestrator.Silo.Scheduling.Sharing;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling.Sharing;

/// <summary>
/// GPU shares charged to queue quotas by their fraction (Kueue charges the quantity a workload requests), on
/// hand-worked cases: a queue "solo" with nominal 1 h100-80gb and no cohort, on one node of 4 devices.
/// </summary>
public sealed class ShareQuotaTests
{
    private const string H100 = "h100-80gb";
    private static readonly QueueSpec Solo = new("solo", [new GpuQuota(H100, 1)]);

    private static readonly TargetWorkload Workload = new([new WorkloadShape(new ShareTask(0, 0, 1, 250), 1.0)]);

    [Fact]
    public void Five_quarter_shares_on_a_nominal_of_one_device_start_four_and_the_fifth_waits_naming_the_numbers()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var waiting = Enumerable.Range(0, 5).Select(i => Share($"s{i}", 250, "solo", i)).ToArray();

        var outcome = Pass(capacity, [], Devices([]), [Solo], waiting);

        Assert.Equal(["s0", "s1", "s2", "s3"], outcome.Starts.Select(s => s.JobId));
        var wait = Assert.Single(outcome.Waits);
        Assert.Equal("s4", wait.JobId);
        Assert.Equal(WaitReason.QuotaExceeded, wait.Reason);
        Assert.Equal($"needs 0.25 {H100} device(s) from queue 'solo', which holds 1 of its nominal 1 and has no cohort to borrow from", wait.Detail);
        Assert.Empty(outcome.Preemptions); // a share refused by quota never preempts
    }

    [Fact]
    public void Tenants_already_running_are_charged_their_fraction_and_their_device_holder_nothing()
    {
        // Queue "default" is defined; the stand-in that holds n0/0 for its tenants is a running job of queue "default"
        // too, and must not be charged a whole device on top of its tenants.
        var queues = new[] { new QueueSpec("default", [new GpuQuota(H100, 1)]) };
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 4);
        var tenants = new[] { SharedPassTests.Tenant("t0", "n0/0", 500), SharedPassTests.Tenant("t1", "n0/0", 250) };
        capacity.MarkBusy(["n0/0"]);
        var holder = SharedDevices.Holder("n0/0", null, 0, T0, null) with { GpuType = H100 };

        var fits = Pass(capacity, [holder], Devices(tenants), queues, Share("quarter", 250, "default", 0));
        var whole = Pass(capacity, [holder], Devices(tenants), queues, Queued("one", "default", 1));

        Assert.Equal("n0/0", Assert.Single(Assert.Single(fits.Starts).DeviceIds)); // 0.75 + 0.25 = its nominal 1
        Assert.Equal($"needs 1 {H100} device(s) from queue 'default', which holds 0.75 of its nominal 1 and has no cohort to borrow from",
            Assert.Single(whole.Waits).Detail);
    }

    [Fact]
    public void Borrowed_usage_and_the_dominant_share_count_fractions()
    {
        var book = new QuotaBook([
            new QueueSpec("a", [new GpuQuota(H100, 1)], "lab", FairShareWeight: 2),
            new QueueSpec("b", [new GpuQuota(H100, 3)], "lab"),
        ]);
        var ledger = new QuotaLedger(book, [
            SharedPassTests.Tenant("t0", "n0/0", 750, "a"), SharedPassTests.Tenant("t1", "n0/1", 750, "a"),
            Whole("w0", "b", "n0/2"), SharedPassTests.Tenant("t2", "n0/3", 125, "b"),
        ]);

        Assert.Equal(1.5, ledger.Used("a", H100));
        Assert.Equal(0.5, ledger.Borrowed("a", H100));
        Assert.Equal(1.125, ledger.Used("b", H100));
        Assert.Equal(1.5 / 4 / 2, ledger.WeightedDominantShare("a")); // 1.5 of the 4 all quotas give h100, over weight 2
        Assert.Equal(1.125 / 4, ledger.WeightedDominantShare("b"));
        // Pool 1 + 3 = 4, all lendable; b draws 1.125, so a may hold up to 2.875 and holds 1.5: 1.375 more, 1 whole device.
        Assert.Equal(1, ledger.Headroom("a", H100));
        Assert.Null(ledger.Refusal("a", H100, 1375));
        Assert.Contains("has 2.875 of 4 lendable left and the queue holds 1.5 (nominal 1)", ledger.Refusal("a", H100, 1376));
    }

    private static RunningJob Whole(string id, string queue, string device) =>
        new(id, 0, [device], T0, null, Queue: queue, GpuType: H100);

    private static WaitingJob Share(string id, int milli, string queue, long sequence) =>
        new(id, 0, sequence, JobDemand.Shared(milli), null, Queue: queue);

    private static WaitingJob Queued(string id, string queue, int devices) => Waiting(id, devices) with { Queue = queue };

    private static SharedDevices Devices(IReadOnlyList<RunningJob> tenants) =>
        new([new ShareNodeDevices("n0", H100, OnNode(0, 4))], tenants, new HashSet<string>(), SharePolicyKind.Fgd, Workload);

    private static SchedulingOutcome Pass(FakeCapacity capacity, IReadOnlyList<RunningJob> running, SharedDevices shares,
        IEnumerable<QueueSpec> queues, params WaitingJob[] waiting) =>
        SchedulingPass.Run(new SchedulingInputs(waiting, running, capacity, Queues: new QuotaBook(queues), Shares: shares), T0);
}
