using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Jobs run end to end on the test cluster with real worker processes.</summary>
public sealed class JobLifecycleTests(EmbeddedClusterFixture fixture) : IClassFixture<EmbeddedClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private IGrainFactory Grains => fixture.Grains;

    private async Task<string> SubmitAsync(TrainingJobSpec spec)
    {
        var id = $"{spec.Metadata.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        return id;
    }

    [Fact]
    public async Task A_submitted_job_runs_to_success_with_every_transition_recorded()
    {
        var id = await SubmitAsync(TestJobs.Tiny("lifecycle", steps: 30));
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);

        var path = job.Events.Where(e => e.From != e.To).Select(e => e.To).ToList();
        Assert.Equal([JobState.Planning, JobState.Placed, JobState.Starting, JobState.Running, JobState.Succeeded], path);
        Assert.All(job.Events, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Equal(30, job.Progress!.Step);
        Assert.True(job.Progress.Loss < job.Progress.FirstLoss, $"loss should fall: {job.Progress.FirstLoss} -> {job.Progress.Loss}");
        var attempt = Assert.Single(job.Attempts);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);

        var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        Assert.DoesNotContain(queue.Running, e => e.JobId == id);
        var log = await Grains.GetGrain<IJobGrain>(id).ReadLogAsync(null, 0, 0);
        Assert.Contains("step 30", log.Text);
        Assert.True(log.Complete);
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_its_worker_and_frees_its_devices()
    {
        var id = await SubmitAsync(TestJobs.Tiny("cancel", steps: 100_000));
        await JobWaits.UntilAsync(Grains, id, j => j.Progress is { Step: > 2 }, Patience);

        var cancelled = await Grains.GetGrain<IJobGrain>(id).CancelAsync("test cancels");
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(AttemptOutcome.Cancelled, cancelled.CurrentAttempt!.Outcome);
        await WaitUntilAsync(() => Task.FromResult(WorkerProcesses.Of(id).Count == 0), "the worker exits");
        var cluster = await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
        Assert.DoesNotContain(cluster.Nodes.SelectMany(n => n.Gpus), g => g.JobId == id);
        Assert.Equal(JobState.Cancelled, (await Grains.GetGrain<IJobGrain>(id).CancelAsync("again")).State);
    }

    [Fact]
    public async Task A_killed_worker_gives_a_new_attempt_that_succeeds()
    {
        var id = await SubmitAsync(TestJobs.Tiny("killed", steps: 40));
        await JobWaits.UntilAsync(Grains, id, j => j.Progress is { Step: > 3 }, Patience);
        var worker = Assert.Single(WorkerProcesses.Of(id));
        System.Diagnostics.Process.GetProcessById(worker).Kill();

        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);
        Assert.Equal(2, job.Attempts.Count);
        Assert.Equal(AttemptOutcome.Failed, job.Attempts[0].Outcome);
        Assert.Contains("killed by signal 9", job.Attempts[0].Reason);
        Assert.Contains(job.Events, e => e.To == JobState.Recovering);
        Assert.Equal(AttemptOutcome.Succeeded, job.Attempts[1].Outcome);
    }

    [Fact]
    public async Task A_device_marked_failed_ends_the_attempt_and_the_job_finishes_on_another_device()
    {
        var id = await SubmitAsync(TestJobs.Tiny("drill", steps: 200));
        var running = await JobWaits.UntilAsync(Grains, id, j => j.Progress is { Step: > 2 }, Patience);
        var device = running.CurrentAttempt!.Ranks.Single().DeviceId;

        await Grains.GetGrain<IGpuGrain>(device).SetHealthAsync(GpuHealth.Failed, "drill");
        try
        {
            var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);
            Assert.Equal(AttemptOutcome.Failed, job.Attempts[0].Outcome);
            Assert.Contains($"device {device} was marked failed", job.Attempts[0].Reason);
            Assert.All(job.Attempts.Skip(1), a => Assert.NotEqual(device, a.Ranks.Single().DeviceId));
            var cluster = await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
            Assert.Equal(GpuHealth.Failed, cluster.Nodes.SelectMany(n => n.Gpus).Single(g => g.Id == device).Health);
        }
        finally
        {
            await Grains.GetGrain<IGpuGrain>(device).SetHealthAsync(GpuHealth.Healthy, "repaired after the drill");
        }

        Assert.Equal(GpuHealth.Healthy, await Grains.GetGrain<IGpuGrain>(device).GetHealthAsync());
    }

    [Fact]
    public async Task A_higher_priority_job_preempts_a_lower_one_which_is_requeued_and_finishes_later()
    {
        // No periodic checkpoints: the only one before the end is the one preemption asks for.
        var low = await SubmitAsync(TestJobs.Tiny("low", steps: 150, gpus: 2, priority: 0) with { Checkpoint = new CheckpointSpec(EverySteps: 100_000) });
        await JobWaits.UntilAsync(Grains, low, j => j.Progress is { Step: > 2 }, Patience);
        var high = await SubmitAsync(TestJobs.Tiny("high", steps: 20, gpus: 1, priority: 10));

        var highDone = await JobWaits.UntilStateAsync(Grains, high, JobState.Succeeded, Patience);
        var lowDone = await JobWaits.UntilStateAsync(Grains, low, JobState.Succeeded, Patience);
        Assert.Single(highDone.Attempts);
        var preempted = lowDone.Attempts[0];
        Assert.Equal(AttemptOutcome.Preempted, preempted.Outcome);
        Assert.Contains("checkpointed at step", preempted.Reason);
        Assert.Contains(lowDone.Events, e => e.To == JobState.Recovering && e.Reason.Contains("preempted") && e.Reason.Contains(high));
        Assert.True(preempted.EndedAt <= highDone.Attempts[0].StartedAt, "the high-priority job is placed only once the preempted one has checkpointed and released its devices");
        // The second attempt continues from the preemption checkpoint instead of starting over.
        var checkpoint = Assert.Single(lowDone.Checkpoints!, c => c.Attempt == preempted.Number);
        Assert.True(checkpoint.Step > 2, $"checkpoint at step {checkpoint.Step}");
        Assert.Equal(checkpoint.Step, lowDone.Attempts[1].StartStep);
        Assert.Equal(0, lowDone.Goodput!.StepsRedone);
        Assert.Equal(AttemptOutcome.Succeeded, lowDone.Attempts[^1].Outcome);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_job_is_refused_and_the_daemon_keeps_serving()
    {
        await Assert.ThrowsAsync<JobNotFoundException>(() => Grains.GetGrain<IJobGrain>("no-such-job").CancelAsync("x"));
        Assert.NotNull(await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync());
    }

    [Theory]
    [InlineData(8, "cpu", "spec.resources.gpus", "exceeds the 2")]
    [InlineData(1, "h900", "spec.resources.gpuType", "unknown GPU type")]
    [InlineData(1, "h100-80gb", "spec.resources.gpuType", "no 'h100-80gb' devices")]
    public async Task A_job_the_cluster_cannot_hold_is_refused_and_nothing_is_stored(int gpus, string gpuType, string field, string message)
    {
        var spec = TestJobs.Tiny("refused", gpus: gpus, gpuType: gpuType);
        var id = $"refused-{Guid.NewGuid().ToString("N")[..5]}";
        var error = await Assert.ThrowsAsync<JobSpecException>(() => Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec));
        Assert.Contains(error.Errors, e => e.Path == field && e.Message.Contains(message));
        Assert.Null(await Grains.GetGrain<IJobGrain>(id).GetAsync());
        Assert.DoesNotContain(await Grains.GetGrain<IJobIndexGrain>("default").ListAsync(), j => j.Id == id);
    }

    [Fact]
    public async Task Tensor_groups_larger_than_an_nvlink_domain_are_refused()
    {
        // The local node is one NVLink domain of 2 devices; a tensor group of 4 cannot sit inside it.
        var spec = TestJobs.Tiny("wide", gpus: 4);
        var tooWide = spec with { Parallelism = new ParallelismSpec(false, Tensor: 4, Data: 1, MicroBatch: 4), Training = spec.Training with { GlobalBatch = 4 } };
        var error = await Assert.ThrowsAsync<JobSpecException>(() => Grains.GetGrain<IJobGrain>("wide-x").SubmitAsync(tooWide));
        Assert.Contains(error.Errors, e => e.Path == "spec.parallelism.tensor" && e.Message.Contains("NVLink domain"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(200);
        }
    }
}
