using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>
/// The scheduler grain keeps a reclaiming preemptor's planned size across the victim's drain. Four CPU devices; cohort
/// lab: research and prod, nominal 2 each. Research borrows prod's idle quota with r-a and r-b (2 devices each). Prod's
/// elastic job p (4 devices, minGpus 1, class ReclaimBorrowed) reclaims r-b and is planned at 2: prod's nominal. While
/// r-b saves its checkpoint, r-a ends; when r-b is gone 4 devices are free, and ordinary admission would start p on all
/// 4 (2 borrowed, which research would reclaim back). It starts on the 2 planned.
/// </summary>
public sealed class PlannedReclaimDaemonTests(PatientPreemptionDaemon daemon) : IClassFixture<PatientPreemptionDaemon>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_reclaiming_job_starts_at_the_size_planned_when_it_preempted_not_at_what_is_free_later()
    {
        await daemon.Client.ApplyAsync(new SchedulingDocuments(
            [new QueueSpec("research", [new GpuQuota("cpu", 2)], "lab"), new QueueSpec("prod", [new GpuQuota("cpu", 2)], "lab")],
            [new PriorityClassSpec("reclaim", 0, PreemptionPolicy.ReclaimBorrowed)]));
        daemon.Backend.WorkersCheckpoint = true;
        try
        {
            await Submit(InQueue(TestJobs.Tiny("r-a", steps: 1000, gpus: 2), "research"));
            await daemon.LaunchedAsync("r-a");
            await Submit(InQueue(TestJobs.Tiny("r-b", steps: 1000, gpus: 2), "research"));
            var victim = await daemon.LaunchedAsync("r-b");
            Assert.Equal(ReportAck.Continue, await daemon.HeartbeatAsync(victim));

            var elastic = InQueue(TestJobs.Tiny("p", gpus: 4), "prod", "reclaim");
            await Submit(elastic with { Resources = elastic.Resources with { MinGpus = 1 } });
            await UntilToldToCheckpointAsync(victim);
            await daemon.CompleteAsync("r-a");
            var node = victim.CurrentAttempt!.Nodes[0];
            await Job("r-b").ReportCheckpointAsync(1, node, new CheckpointReport(5, "t1·p1·d2", 0.01, 0.1, 1024, 1024, Final: true));

            var started = await daemon.LaunchedAsync("p");
            Assert.Equal(2, started.CurrentAttempt!.Ranks.Count);
            var queue = await daemon.Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
            var prod = queue.Queues!.Single(q => q.Name == "prod").Types.Single();
            Assert.Equal((2, 0), (prod.Used, prod.Borrowed)); // within its nominal quota, as a reclaim must leave it
        }
        finally
        {
            daemon.Backend.WorkersCheckpoint = false;
            foreach (var id in new[] { "p", "r-a", "r-b" }) await Job(id).CancelAsync("test over");
        }
    }

    private async Task UntilToldToCheckpointAsync(JobView victim)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await daemon.HeartbeatAsync(victim) != ReportAck.CheckpointAndStop)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{victim.Id} was never asked to checkpoint for a preemption");
            await Task.Delay(100);
        }
    }

    private IJobGrain Job(string id) => daemon.Grains.GetGrain<IJobGrain>(id);

    private Task Submit(TrainingJobSpec spec) => Job(spec.Metadata.Name).SubmitAsync(spec);

    private static TrainingJobSpec InQueue(TrainingJobSpec spec, string queue, string? priorityClass = null) =>
        spec with { Metadata = spec.Metadata with { Queue = queue, PriorityClass = priorityClass } };
}
