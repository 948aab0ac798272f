using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;
using static Orchestrator.Silo.Tests.Scheduling.Policies.PolicyPass;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>Choosing a device type for jobs that leave it open: quota flavors, and Gavel's heterogeneity-aware pick.</summary>
public sealed class DeviceTypeChoiceTests
{
    [Fact]
    public void An_untyped_job_runs_on_the_first_listed_type_its_quota_admits()
    {
        var capacity = new FakeCapacity(8, ["h100", "a100"]);
        // h100 quota 4 is too small for 8 devices; the a100 quota takes it.
        var queues = new[] { new QueueSpec("team", [new GpuQuota("h100", 4), new GpuQuota("a100", 8)]) };

        var outcome = Run(capacity, SchedulingPolicyKind.PriorityFifoBackfill, queues, [], Queued("job", "team", 8));

        Assert.Equal(OnNode(1, 8).Order(), Assert.Single(outcome.Starts).DeviceIds.Order());
    }

    [Fact]
    public void A_job_beyond_its_quota_waits_without_holding_back_jobs_behind_it()
    {
        var capacity = new FakeCapacity(nodes: 2, gpusPerNode: 8, gpuType: "h100");
        var queues = new[] { new QueueSpec("small", [new GpuQuota("h100", 4)]), new QueueSpec("big", [new GpuQuota("h100", 16)]) };

        var outcome = Run(capacity, SchedulingPolicyKind.PriorityFifoBackfill, queues, [],
            Queued("greedy", "small", 8, priority: 10), Queued("later", "big", 16));

        var wait = Assert.Single(outcome.Waits);
        Assert.Equal(("greedy", WaitReason.QuotaExceeded), (wait.JobId, wait.Reason));
        Assert.Contains("holds 0 of its nominal 4", wait.Detail);
        Assert.Equal("later", Assert.Single(outcome.Starts).JobId);
    }

    [Fact]
    public void A_job_of_an_undefined_queue_waits_naming_the_queue()
    {
        var capacity = new FakeCapacity(nodes: 1, gpusPerNode: 8, gpuType: "h100");

        var outcome = Run(capacity, SchedulingPolicyKind.PriorityFifoBackfill, [new QueueSpec("team", [new GpuQuota("h100", 8)])], [],
            Queued("stray", "default", 1));

        Assert.Contains("queue 'default' is not defined", Assert.Single(outcome.Waits).Detail);
    }

    /// <summary>
    /// Gavel's hand-worked two-type case: one v100 and one a100 free. Job A runs 1.0 samples/s on v100 and 1.2 on
    /// a100; job B 1.0 and 4.0. Normalised to each job's best type: A gets 0.83 on v100 or 1 on a100; B 0.25 or 1.
    /// A-on-a100/B-on-v100 has a worst job at 0.25; A-on-v100/B-on-a100 at 0.83: max-min fairness wants the second,
    /// although A comes first and a100 is its faster type.
    /// </summary>
    [Fact]
    public void Heterogeneity_aware_gives_each_job_the_type_that_maximises_the_worst_normalised_throughput()
    {
        var outcome = TwoTypes(SchedulingPolicyKind.HeterogeneityAware);

        Assert.Equal(FakeCapacity.Id(1, 0), Start(outcome, "A")); // v100
        Assert.Equal(FakeCapacity.Id(0, 0), Start(outcome, "B")); // a100
    }

    [Fact]
    public void A_lone_job_gets_its_fastest_type()
    {
        var capacity = new FakeCapacity(1, ["v100", "a100"]);
        var b = Waiting("B", 1) with { Throughput = new Dictionary<string, double> { ["v100"] = 1.0, ["a100"] = 4.0 } };

        var outcome = SchedulingPass.Run(new SchedulingInputs([b], [], capacity, null,
            new SchedulingOptions { Policy = SchedulingPolicyKind.HeterogeneityAware }), T0);

        Assert.Equal(FakeCapacity.Id(1, 0), Start(outcome, "B"));
    }

    [Fact]
    public void Without_the_policy_throughput_is_ignored()
    {
        var outcome = TwoTypes(SchedulingPolicyKind.PriorityFifoBackfill);

        Assert.Equal(FakeCapacity.Id(0, 0), Start(outcome, "A")); // first node that fits (a100), whatever its speed
        Assert.Equal(FakeCapacity.Id(1, 0), Start(outcome, "B"));
    }

    private static SchedulingOutcome TwoTypes(SchedulingPolicyKind policy)
    {
        var capacity = new FakeCapacity(1, ["a100", "v100"]);
        var a = Waiting("A", 1, sequence: 1) with { Throughput = new Dictionary<string, double> { ["v100"] = 1.0, ["a100"] = 1.2 } };
        var b = Waiting("B", 1, sequence: 2) with { Throughput = new Dictionary<string, double> { ["v100"] = 1.0, ["a100"] = 4.0 } };
        return SchedulingPass.Run(new SchedulingInputs([a, b], [], capacity, null, new SchedulingOptions { Policy = policy }), T0);
    }

    private static string Start(SchedulingOutcome outcome, string jobId) => Assert.Single(Assert.Single(outcome.Starts, s => s.JobId == jobId).DeviceIds);
}
