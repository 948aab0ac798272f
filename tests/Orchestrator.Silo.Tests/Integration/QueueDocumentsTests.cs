using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// Queue and priority-class documents in a real daemon: stored, survive a restart, checked at submission, used by the
/// scheduler's quotas and shown per queue. The jobs here never start (their queue's quota is 0), so no worker runs.
/// </summary>
public sealed class QueueDocumentsTests
{
    private static readonly SchedulingDocuments Documents = new(
        [
            new QueueSpec("idle", [new GpuQuota("cpu", 0)]),
            new QueueSpec("team", [new GpuQuota("cpu", 2)], "lab", 2),
        ],
        [new PriorityClassSpec("urgent", 500, PreemptionPolicy.ReclaimBorrowed)]);

    [Fact]
    public async Task Documents_survive_a_restart_and_govern_submissions_and_quotas()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("queues"));
        using (var first = await DaemonHost.StartAsync(options))
        {
            await using var client = await DaemonHost.ConnectAsync(options);
            Assert.Equal(["queue/idle created", "queue/team created", "priorityclass/urgent created"], await client.ApplyAsync(Documents));
            Assert.Equal(["queue/idle unchanged", "queue/team unchanged", "priorityclass/urgent unchanged"], await client.ApplyAsync(Documents));
            await first.StopAsync();
        }

        using var second = await DaemonHost.StartAsync(options);
        await using var again = await DaemonHost.ConnectAsync(options);
        var stored = await again.GetSchedulingDocumentsAsync();
        Assert.Equal(["idle", "team"], stored.Queues.Select(q => q.Name));
        Assert.Equal(Documents.Queues[1].Quotas, stored.Queues[1].Quotas);
        Assert.Equal(Documents.PriorityClasses, stored.PriorityClasses);

        var undefined = await Assert.ThrowsAsync<JobSpecException>(() => again.SubmitAsync(TestJobs.Tiny("stray")));
        Assert.Contains("metadata.queue: queue 'default' is not defined; defined queues: idle, team", undefined.Message);
        var unknownClass = await Assert.ThrowsAsync<JobSpecException>(() => again.SubmitAsync(InQueue("nobody", "idle", "lowly")));
        Assert.Contains("metadata.priorityClass: priority class 'lowly' is not defined; defined classes: urgent", unknownClass.Message);

        // The class sets the priority; the idle queue's quota of 0 keeps the job waiting, and says why.
        var job = await again.SubmitAsync(InQueue("held", "idle", "urgent"));
        Assert.Equal(500, job.Spec.Metadata.Priority);
        var queue = await WaitForReasonAsync(again, job.Id);
        Assert.Contains("QuotaExceeded", queue.Waiting.Single(w => w.JobId == job.Id).Reason);
        var idle = queue.Queues!.Single(q => q.Name == "idle");
        Assert.Equal((true, 1, 0), (idle.Defined, idle.Waiting, idle.Running));
        Assert.Equal([new QueueTypeUsage("cpu", 0, 0, 0)], idle.Types);
        var team = queue.Queues!.Single(q => q.Name == "team");
        Assert.Equal(("lab", 2.0, 2), (team.Cohort, team.FairShareWeight, team.Types.Single().Nominal));
        await again.CancelAsync(job.Id);
        await second.StopAsync();
    }

    private static TrainingJobSpec InQueue(string name, string queue, string priorityClass)
    {
        var spec = TestJobs.Tiny(name);
        return spec with { Metadata = spec.Metadata with { Queue = queue, PriorityClass = priorityClass } };
    }

    private static async Task<QueueView> WaitForReasonAsync(Client.OrchestratorClient client, string jobId)
    {
        // A pass runs on submit; its reasons are published when it ends.
        for (var tries = 0; ; tries++)
        {
            var view = await client.GetQueueAsync();
            if (view.Waiting.Any(w => w.JobId == jobId && w.Reason.Contains("QuotaExceeded", StringComparison.Ordinal)) || tries >= 100) return view;
            await Task.Delay(100);
        }
    }
}
