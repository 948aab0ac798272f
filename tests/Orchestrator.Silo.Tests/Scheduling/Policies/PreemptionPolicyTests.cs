using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;
using static Orchestrator.Silo.Tests.Scheduling.Policies.PolicyPass;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>
/// A higher class preempts only what its policy allows. Cluster: two nodes of 8 h100. Cohort lab: research and prod,
/// nominal 8 each. Research borrows prod's idle quota: it runs r-old and r-new (8 each, priority 50), so it holds 16,
/// 8 of them borrowed, and the cohort has nothing left to lend.
/// </summary>
public sealed class PreemptionPolicyTests
{
    private static readonly QueueSpec[] Cohort =
    [
        new("research", [new GpuQuota("h100", 8)], "lab"),
        new("prod", [new GpuQuota("h100", 8)], "lab"),
    ];

    private readonly FakeCapacity _capacity = new(nodes: 2, gpusPerNode: 8, gpuType: "h100");

    [Fact]
    public void Never_preempts_nothing_and_waits_on_quota()
    {
        var outcome = Borrowed(SchedulingPolicyKind.FairShare, Queued("p", "prod", 8, priority: 100, preemption: PreemptionPolicy.Never));

        Assert.Empty(outcome.Preemptions);
        var wait = Assert.Single(outcome.Waits);
        Assert.Equal(WaitReason.QuotaExceeded, wait.Reason);
        Assert.Null(outcome.Reservation); // a job held back by quota does not become the head
    }

    [Fact]
    public void ReclaimBorrowed_takes_back_lent_quota_even_from_higher_priorities()
    {
        var outcome = Borrowed(SchedulingPolicyKind.PriorityFifoBackfill, Queued("p", "prod", 8, priority: 0, preemption: PreemptionPolicy.ReclaimBorrowed));

        var preempt = Assert.Single(outcome.Preemptions);
        Assert.Equal("r-new", preempt.JobId); // the most recent of the borrowers: least work lost
        Assert.Contains("reclaim h100 quota lent to queue research", preempt.Reason);
        Assert.Equal("p", Assert.Single(outcome.Starts).JobId);
    }

    [Fact]
    public void ReclaimBorrowed_never_reclaims_beyond_its_nominal_quota()
    {
        // 12 devices would take prod 4 beyond its nominal 8: that would be borrowing, not reclaiming.
        var outcome = Borrowed(SchedulingPolicyKind.PriorityFifoBackfill, Queued("p", "prod", 12, preemption: PreemptionPolicy.ReclaimBorrowed));

        Assert.Empty(outcome.Preemptions);
        Assert.Equal(WaitReason.QuotaExceeded, Assert.Single(outcome.Waits).Reason);
    }

    [Fact]
    public void LowerPriority_under_the_default_policy_reclaims_only_from_lower_priorities()
    {
        var outcome = Borrowed(SchedulingPolicyKind.PriorityFifoBackfill, Queued("p", "prod", 8, priority: 10));

        Assert.Empty(outcome.Preemptions);
    }

    [Fact]
    public void LowerPriority_under_fair_share_reclaims_borrowed_quota_of_any_priority()
    {
        var outcome = Borrowed(SchedulingPolicyKind.FairShare, Queued("p", "prod", 8, priority: 10));

        Assert.Equal("r-new", Assert.Single(outcome.Preemptions).JobId);
        Assert.Equal("p", Assert.Single(outcome.Starts).JobId);
    }

    [Fact]
    public void ReclaimBorrowed_never_preempts_for_priority_alone()
    {
        var low = Running(_capacity, "low", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 0);
        var urgent = Queued("urgent", "default", 8, priority: 100, preemption: PreemptionPolicy.ReclaimBorrowed);

        var outcome = Run(_capacity, SchedulingPolicyKind.PriorityFifoBackfill, null, [low], urgent);

        Assert.Empty(outcome.Preemptions);
        Assert.NotNull(outcome.Reservation);
    }

    [Fact]
    public void LowerPriority_without_quotas_preempts_as_before()
    {
        var low = Running(_capacity, "low", OnNode(0, 8).Concat(OnNode(1, 8)).ToList(), priority: 0);

        var outcome = Run(_capacity, SchedulingPolicyKind.PriorityFifoBackfill, null, [low], Queued("urgent", "default", 8, priority: 100));

        Assert.Equal("low", Assert.Single(outcome.Preemptions).JobId);
    }

    [Fact]
    public void With_quotas_LowerPriority_preempts_in_its_own_queue_but_not_a_queue_within_its_nominal_quota()
    {
        // Both queues at their nominal 8; nothing is borrowed. prod's urgent job may stop prod's own low job only.
        var queues = Cohort;
        var mine = Holding(_capacity, "mine", "prod", OnNode(0, 8), "h100", priority: 0);
        var theirs = Holding(_capacity, "theirs", "research", OnNode(1, 8), "h100", priority: 0, startedAt: T0.AddMinutes(-1));

        var outcome = Run(_capacity, SchedulingPolicyKind.PriorityFifoBackfill, queues, [mine, theirs],
            Queued("urgent", "prod", 8, priority: 100, gpuType: "h100"));

        Assert.Equal("mine", Assert.Single(outcome.Preemptions).JobId);
        Assert.Equal("urgent", Assert.Single(outcome.Starts).JobId);
    }

    private SchedulingOutcome Borrowed(SchedulingPolicyKind policy, WaitingJob prodJob)
    {
        var older = Holding(_capacity, "r-old", "research", OnNode(0, 8), "h100", priority: 50, startedAt: T0.AddHours(-2));
        var newer = Holding(_capacity, "r-new", "research", OnNode(1, 8), "h100", priority: 50, startedAt: T0.AddHours(-1));
        return Run(_capacity, policy, Cohort, [older, newer], prodJob with { Demand = prodJob.Demand.OfType("h100") });
    }
}
