using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary><c>spec.dependsOn</c> and <c>orch delete</c>, on simulated workers.</summary>
public sealed class DependencyTests(SimulatedDaemon daemon) : IClassFixture<SimulatedDaemon>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private IGrainFactory Grains => daemon.Grains;

    private IJobGrain Job(string id) => Grains.GetGrain<IJobGrain>(id);

    private static TrainingJobSpec After(string name, params string[] dependencies) => TestJobs.Tiny(name) with { DependsOn = dependencies };

    [Fact]
    public async Task A_chain_runs_in_order_each_job_queued_only_when_its_dependency_has_succeeded()
    {
        await Job("prepare").SubmitAsync(TestJobs.Tiny("prepare"));
        await Job("train").SubmitAsync(After("train", "prepare"));
        await Job("evaluate").SubmitAsync(After("evaluate", "train", "prepare"));

        var held = (await daemon.Client.ListAsync()).Where(j => j.Id is "train" or "evaluate").ToList();
        Assert.All(held, j => Assert.Equal(JobState.Pending, j.State));
        Assert.Contains("waiting for dependencies to succeed: prepare", held.Single(j => j.Id == "train").Held);
        Assert.Contains("waiting for dependencies to succeed: train", held.Single(j => j.Id == "evaluate").Held);
        var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        Assert.DoesNotContain(queue.Waiting.Concat(queue.Running), e => e.JobId is "train" or "evaluate");

        await daemon.CompleteAsync("prepare");
        await daemon.LaunchedAsync("train");
        Assert.Equal(JobState.Pending, (await Job("evaluate").GetAsync())!.State);
        await daemon.CompleteAsync("train");
        await daemon.CompleteAsync("evaluate");

        var prepare = (await Job("prepare").GetAsync())!;
        var train = (await Job("train").GetAsync())!;
        var evaluate = (await Job("evaluate").GetAsync())!;
        Assert.True(train.Attempts[0].StartedAt >= prepare.FinishedAt);
        Assert.True(evaluate.Attempts[0].StartedAt >= train.FinishedAt);
        Assert.Contains(evaluate.Events, e => e.Reason.StartsWith("every dependency has succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_dependency_fails_its_dependents_down_the_chain_naming_it()
    {
        await Job("upstream").SubmitAsync(TestJobs.Tiny("upstream"));
        await Job("middle").SubmitAsync(After("middle", "upstream"));
        await Job("downstream").SubmitAsync(After("downstream", "middle"));

        await Job("upstream").CancelAsync("test");

        var middle = await JobWaits.UntilStateAsync(Grains, "middle", JobState.Failed, Patience);
        Assert.Equal("DependencyFailed: dependency 'upstream' ended Cancelled", middle.Message);
        var downstream = await JobWaits.UntilStateAsync(Grains, "downstream", JobState.Failed, Patience);
        Assert.Equal("DependencyFailed: dependency 'middle' ended Failed", downstream.Message);
        Assert.Empty(middle.Attempts);
    }

    [Fact]
    public async Task An_unknown_dependency_or_a_cycle_is_refused_at_submit_and_nothing_is_stored()
    {
        var unknown = await Assert.ThrowsAsync<JobSpecException>(() => Job("orphan").SubmitAsync(After("orphan", "no-such-job")));
        Assert.Contains(unknown.Errors, e => e.Path == "spec.dependsOn[0]" && e.Message == "job 'no-such-job' does not exist");
        Assert.Null(await Job("orphan").GetAsync());

        var self = await Assert.ThrowsAsync<JobSpecException>(() => Job("ouroboros").SubmitAsync(After("ouroboros", "ouroboros")));
        Assert.Contains(self.Errors, e => e.Path == "spec.dependsOn[0]" && e.Message.Contains("cycle", StringComparison.Ordinal));

        // A cycle through an id used again: 'first' is deleted, and a new 'first' would wait for 'second', which waits for 'first'.
        await Job("first").SubmitAsync(TestJobs.Tiny("first"));
        await Job("second").SubmitAsync(After("second", "first"));
        await Job("first").DeleteAsync(force: true);
        var cycle = await Assert.ThrowsAsync<JobSpecException>(() => Job("first").SubmitAsync(After("first", "second")));
        Assert.Contains(cycle.Errors, e => e.Path == "spec.dependsOn[0]" && e.Message == "would form a cycle: first → second → first");
        Assert.Null(await Job("first").GetAsync());
        await Job("second").CancelAsync("test over");
    }

    [Fact]
    public async Task Delete_removes_a_finished_job_with_its_listing_and_logs_and_refuses_an_unfinished_one_without_force()
    {
        await Job("done").SubmitAsync(TestJobs.Tiny("done"));
        var launched = await daemon.LaunchedAsync("done");
        var log = daemon.Backend.LogPath("done", 1, launched.CurrentAttempt!.Nodes[0]);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "step 1\n");
        await daemon.CompleteAsync("done");

        await Job("done").DeleteAsync(force: false);
        Assert.Null(await Job("done").GetAsync());
        Assert.DoesNotContain(await daemon.Client.ListAsync(), j => j.Id == "done");
        Assert.False(File.Exists(log));
        await Assert.ThrowsAsync<JobNotFoundException>(() => Job("done").DeleteAsync(force: false));

        await Job("busy").SubmitAsync(TestJobs.Tiny("busy"));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Job("busy").DeleteAsync(force: false));
        Assert.Contains("--force", refused.Message);
        Assert.NotNull(await Job("busy").GetAsync());
        await Job("busy").DeleteAsync(force: true);
        Assert.Null(await Job("busy").GetAsync());
        var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        Assert.DoesNotContain(queue.Waiting.Concat(queue.Running), e => e.JobId == "busy");
    }
}
