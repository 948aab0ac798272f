using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>
/// Deleting Queue and PriorityClass documents in a daemon with four simulated CPU devices: a queue with jobs is kept
/// and the refusal names them; the last queue gone means no quotas; a deleted class's jobs keep their priority and
/// preempt as LowerPriority. Each test removes what it applied.
/// </summary>
public sealed class DocumentDeletionTests(SimulatedDaemon daemon) : IClassFixture<SimulatedDaemon>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private IQueueRegistryGrain Registry => daemon.Grains.GetGrain<IQueueRegistryGrain>("default");

    [Fact]
    public async Task A_queue_with_jobs_is_not_deleted_and_deleting_the_last_queue_turns_quotas_off()
    {
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => Registry.DeleteAsync(SchedulingDocumentKind.Queue, "nope"));
        Assert.Contains("queue 'nope' is not defined", unknown.Message);
        await daemon.Client.ApplyAsync(new SchedulingDocuments(
            [new QueueSpec("team", [new GpuQuota("cpu", 4)]), new QueueSpec("spare", [new GpuQuota("cpu", 0)])], []));
        await Submit(InQueue(TestJobs.Tiny("t1", steps: 1000, gpus: 4), "team"));
        await daemon.LaunchedAsync("t1");
        await Submit(InQueue(TestJobs.Tiny("s1"), "spare")); // quota 0: waits

        var running = await Assert.ThrowsAsync<InvalidOperationException>(() => Registry.DeleteAsync(SchedulingDocumentKind.Queue, "team"));
        Assert.Contains("queue 'team' still has 0 waiting and 1 running job(s) (t1)", running.Message);
        var waiting = await Assert.ThrowsAsync<InvalidOperationException>(() => Registry.DeleteAsync(SchedulingDocumentKind.Queue, "spare"));
        Assert.Contains("queue 'spare' still has 1 waiting and 0 running job(s) (s1)", waiting.Message);
        var other = await Assert.ThrowsAsync<ArgumentException>(() => Registry.DeleteAsync(SchedulingDocumentKind.Queue, "Team"));
        Assert.Contains("queue 'Team' is not defined; defined: spare, team", other.Message);

        await CancelAndForgetAsync("s1");
        Assert.Equal("queue/spare deleted", await daemon.Client.DeleteDocumentAsync(SchedulingDocumentKind.Queue, "spare"));
        Assert.Equal(["team"], (await daemon.Client.GetSchedulingDocumentsAsync()).Queues.Select(q => q.Name));
        var gone = await Assert.ThrowsAsync<JobSpecException>(() => Submit(InQueue(TestJobs.Tiny("s2"), "spare")));
        Assert.Contains("metadata.queue: queue 'spare' is not defined; defined queues: team", gone.Message);

        await CancelAndForgetAsync("t1");
        Assert.Equal("queue/team deleted", await Registry.DeleteAsync(SchedulingDocumentKind.Queue, "team"));
        // No Queue document left: any queue name is a label again and a job starts without quotas.
        await Submit(InQueue(TestJobs.Tiny("free", steps: 1000, gpus: 4), "anything"));
        await daemon.LaunchedAsync("free");
        await CancelAndForgetAsync("free");
    }

    [Fact]
    public async Task A_deleted_class_leaves_its_jobs_their_priority_and_the_default_preemption_policy()
    {
        await daemon.Client.ApplyAsync(new SchedulingDocuments([], [new PriorityClassSpec("gentle", 10, PreemptionPolicy.Never)]));
        await Submit(TestJobs.Tiny("low", steps: 1000, gpus: 4));
        await daemon.LaunchedAsync("low");
        var gentle = TestJobs.Tiny("gentle-job", gpus: 4);
        await Submit(gentle with { Metadata = gentle.Metadata with { PriorityClass = "gentle" } });
        var view = await UntilReasonAsync("gentle-job"); // a pass has run: class Never, so it waits and low keeps its devices
        Assert.Contains(view.Running, e => e.JobId == "low");
        Assert.Equal(AttemptOutcome.Running, (await Job("low").GetAsync())!.Attempts.Single().Outcome);

        Assert.Equal("priorityclass/gentle deleted", await Registry.DeleteAsync(SchedulingDocumentKind.PriorityClass, "gentle"));

        var started = await daemon.LaunchedAsync("gentle-job");
        Assert.Equal(10, started.Spec.Metadata.Priority);
        var low = await JobWaits.UntilAsync(daemon.Grains, "low", j => j.Attempts.Count > 0 && j.Attempts[0].Outcome == AttemptOutcome.Preempted, Patience);
        Assert.Contains(low.Events, e => e.Reason.Contains("preempted by gentle-job", StringComparison.Ordinal));
        await CancelAndForgetAsync("gentle-job");
        await CancelAndForgetAsync("low");
    }

    private IJobGrain Job(string id) => daemon.Grains.GetGrain<IJobGrain>(id);

    private Task Submit(TrainingJobSpec spec) => Job(spec.Metadata.Name).SubmitAsync(spec);

    private static TrainingJobSpec InQueue(TrainingJobSpec spec, string queue) => spec with { Metadata = spec.Metadata with { Queue = queue } };

    /// <summary>Cancels the job and waits until the scheduler no longer lists it.</summary>
    private async Task CancelAndForgetAsync(string id)
    {
        await Job(id).CancelAsync("test over");
        _ = await UntilQueueAsync(view => view.Waiting.Concat(view.Running).All(e => e.JobId != id), $"{id} is still in the scheduler's queue");
    }

    private Task<QueueView> UntilReasonAsync(string id) => UntilQueueAsync(
        view => view.Waiting.Any(e => e.JobId == id && !e.Reason.StartsWith("waiting for the next", StringComparison.Ordinal)), $"no pass has looked at {id}");

    private async Task<QueueView> UntilQueueAsync(Func<QueueView, bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var view = await daemon.Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
            if (condition(view)) return view;
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
