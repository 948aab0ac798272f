using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;
using static Orchestrator.Silo.Tests.Scheduling.Policies.PolicyPass;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>
/// DRF ordering on a hand-worked case. Quotas: queue a holds h100 nominal 16 (weight 1), queue b a100 nominal 8
/// (weight 2), so the dominant-share denominators are 16 h100 and 8 a100. Running: a holds 4 h100 (share 4/16 = 0.25),
/// b holds 6 a100 (6/8 / 2 = 0.375). Waiting, in submit order: a1 and a2 (4 h100 each), b1 and b2 (1 a100 each).
/// Fair share draws: a1 (a: 0.25 -> 0.5), b1 (b: 0.375 -> 0.4375), b2 (b -> 0.5), then a2 (a 0.5 ties b 0.5; by name).
/// </summary>
public sealed class FairShareOrderTests
{
    private static readonly QueueSpec[] Queues =
    [
        new("a", [new GpuQuota("h100", 16)]),
        new("b", [new GpuQuota("a100", 8)], FairShareWeight: 2),
    ];

    [Fact]
    public void Fair_share_starts_jobs_in_order_of_weighted_dominant_share()
    {
        var outcome = Pass(SchedulingPolicyKind.FairShare, Queues);

        Assert.Equal(["a1", "b1", "b2", "a2"], outcome.Starts.Select(s => s.JobId));
    }

    [Fact]
    public void The_default_policy_keeps_submit_order_on_the_same_jobs()
    {
        var outcome = Pass(SchedulingPolicyKind.PriorityFifoBackfill, Queues);

        Assert.Equal(["a1", "a2", "b1", "b2"], outcome.Starts.Select(s => s.JobId));
    }

    [Fact]
    public void A_heavier_weight_lets_a_queue_go_first_at_a_larger_share()
    {
        // b at weight 4: 6/8 / 4 = 0.1875 is below a's 0.25, so b1 comes first; then b 7/8/4 = 0.22 still first.
        var outcome = Pass(SchedulingPolicyKind.FairShare, [Queues[0], Queues[1] with { FairShareWeight = 4 }]);

        Assert.Equal(["b1", "b2", "a1", "a2"], outcome.Starts.Select(s => s.JobId));
    }

    [Fact]
    public void Orch_queue_positions_are_the_order_the_next_pass_tries_the_jobs_in()
    {
        var (_, running, waiting) = Cluster();
        IReadOnlyList<WaitingJob> shuffled = [.. waiting.Reverse()];

        var fair = NextPassOrder.Of(SchedulingPolicyKind.FairShare, shuffled, new QuotaBook(Queues), running);
        var fifo = NextPassOrder.Of(SchedulingPolicyKind.PriorityFifoBackfill, shuffled, new QuotaBook(Queues), running);

        Assert.Equal(["a1", "b1", "b2", "a2"], fair.Select(j => j.JobId)); // what the pass starts, in the same order
        Assert.Equal(["a1", "a2", "b1", "b2"], fifo.Select(j => j.JobId));
    }

    private static SchedulingOutcome Pass(SchedulingPolicyKind policy, IEnumerable<QueueSpec> queues)
    {
        var (capacity, running, waiting) = Cluster();
        return Run(capacity, policy, queues, running, waiting);
    }

    private static (FakeCapacity Capacity, RunningJob[] Running, WaitingJob[] Waiting) Cluster()
    {
        var capacity = new FakeCapacity(8, ["h100", "h100", "a100"]);
        var running = new[]
        {
            Holding(capacity, "a0", "a", OnNode(0, 4), "h100"),
            Holding(capacity, "b0", "b", OnNode(2, 6), "a100"),
        };
        return (capacity, running,
        [
            Queued("a1", "a", 4, sequence: 1, gpuType: "h100"),
            Queued("a2", "a", 4, sequence: 2, gpuType: "h100"),
            Queued("b1", "b", 1, sequence: 3, gpuType: "a100"),
            Queued("b2", "b", 1, sequence: 4, gpuType: "a100"),
        ]);
    }
}
