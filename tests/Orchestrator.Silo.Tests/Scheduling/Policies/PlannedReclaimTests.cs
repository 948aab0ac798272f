using Orchestrator.Contracts.Scheduling;
using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;
using static Orchestrator.Silo.Tests.Scheduling.Policies.PolicyPass;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>
/// A reclaiming preemptor across the two passes it takes: the pass that stops its victims plans it within its queue's
/// nominal quota, and the later pass (victims gone, the job handed its <see cref="PlannedStart"/>) starts it first and
/// no larger. Cluster: nodes of 8 h100; cohort lab: research nominal 24, prod nominal 8 (both lend all of it). The prod
/// job is elastic, 8 to 32 devices (the largest power of two offered).
/// </summary>
public sealed class PlannedReclaimTests
{
    private static readonly QueueSpec[] Cohort =
    [
        new("research", [new GpuQuota("h100", 24)], "lab"),
        new("prod", [new GpuQuota("h100", 8)], "lab"),
    ];

    [Fact]
    public void A_reclaim_is_planned_within_the_queues_nominal_quota_even_when_its_victim_frees_more()
    {
        // research holds 32 of 32 (8 borrowed); its newest job holds 16. Stopping it frees 16, but prod may reclaim
        // only up to its nominal 8: the 16 would have it borrow by preemption.
        var capacity = new FakeCapacity(nodes: 4, gpusPerNode: 8, gpuType: "h100");
        var running = new[]
        {
            Holding(capacity, "r-old", "research", [.. OnNode(0, 8), .. OnNode(1, 8)], "h100", startedAt: T0.AddHours(-2)),
            Holding(capacity, "r-new", "research", [.. OnNode(2, 8), .. OnNode(3, 8)], "h100", startedAt: T0.AddHours(-1)),
        };

        var outcome = Run(capacity, SchedulingPolicyKind.FairShare, Cohort, running, Elastic("p", "prod"));

        Assert.Equal("r-new", Assert.Single(outcome.Preemptions).JobId);
        Assert.Equal(8, Assert.Single(outcome.Starts).DeviceIds.Count);
    }

    [Fact]
    public void Once_its_victims_are_gone_a_reclaiming_job_starts_at_its_planned_size_and_no_bigger()
    {
        // The victim released its devices and other research jobs ended meanwhile: research holds 8, 24 are free.
        // Ordinary admission would let prod start 16 (8 borrowed), which research would reclaim back at once.
        var capacity = new FakeCapacity(nodes: 4, gpusPerNode: 8, gpuType: "h100");
        var running = new[] { Holding(capacity, "r-old", "research", OnNode(0, 8), "h100") };
        var planned = Elastic("p", "prod") with { Planned = new PlannedStart(8, "h100") };

        var start = Assert.Single(Run(capacity, SchedulingPolicyKind.FairShare, Cohort, running, planned).Starts);
        var unplanned = Assert.Single(Run(capacity, SchedulingPolicyKind.FairShare, Cohort, running, planned with { Planned = null }).Starts);

        Assert.Equal(8, start.DeviceIds.Count); // prod at its nominal 8: within Kueue's rule for a reclaim
        Assert.Equal(16, unplanned.DeviceIds.Count); // the same job without its plan grows into borrowed quota
    }

    [Fact]
    public void Once_its_victims_are_gone_a_preemptor_comes_before_the_job_fair_share_would_draw_first()
    {
        // Five nodes; research (weight 4) holds its nominal 24 of 40: share 24/40/4 = 0.15; prod (nominal 16) holds 8
        // with pr: 0.2. Fair share draws research's waiting r5 first, and r5 (borrowing) would take the 8 devices freed
        // for p; p would then reclaim them again, and so on forever.
        var queues = new[] { Cohort[0] with { FairShareWeight = 4 }, new QueueSpec("prod", [new GpuQuota("h100", 16)], "lab") };
        var capacity = new FakeCapacity(nodes: 5, gpusPerNode: 8, gpuType: "h100");
        var running = new[]
        {
            Holding(capacity, "r1", "research", [.. OnNode(0, 8), .. OnNode(1, 8), .. OnNode(2, 8)], "h100"),
            Holding(capacity, "pr", "prod", OnNode(4, 8), "h100"),
        };
        var p = Queued("p", "prod", 8, sequence: 2, gpuType: "h100") with { Planned = new PlannedStart(8, "h100") };
        var r5 = Queued("r5", "research", 8, sequence: 1, gpuType: "h100");

        var planned = Run(capacity, SchedulingPolicyKind.FairShare, queues, running, r5, p);
        var unplanned = Run(capacity, SchedulingPolicyKind.FairShare, queues, running, r5, p with { Planned = null });

        Assert.Equal("p", Assert.Single(planned.Starts).JobId);
        Assert.Empty(planned.Preemptions);
        Assert.Equal("r5", unplanned.Starts.First().JobId);
    }

    private static WaitingJob Elastic(string id, string queue) =>
        new(id, 0, 1, JobDemand.Auto(8, 32, offered =>
        {
            var devices = 8;
            while (devices * 2 <= offered) devices *= 2;
            return new LayoutChoice(new ParallelLayout(1, 1, devices), null);
        }, "h100"), null, Queue: queue);
}
