using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>Time limits, suspend and resume, the attempt history cap and the preemptor's timeout, on simulated workers.</summary>
public sealed class SuspendAndTimeLimitTests(SimulatedDaemon daemon) : IClassFixture<SimulatedDaemon>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private IGrainFactory Grains => daemon.Grains;

    private IJobGrain Job(string id) => Grains.GetGrain<IJobGrain>(id);

    [Fact]
    public async Task A_job_past_its_time_limit_fails_with_TimeLimitExceeded_and_releases_its_devices_uncharged()
    {
        const string id = "limited";
        await Job(id).SubmitAsync(TestJobs.Tiny(id, gpus: 2) with { TimeLimit = TimeSpan.FromSeconds(2) });

        // Not waited for as launched first: on a loaded machine the 2 s limit can pass while the attempt is starting.
        var failed = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);
        Assert.StartsWith("TimeLimitExceeded", failed.Message);
        Assert.Contains(failed.Events, e => e.To == JobState.Failed && e.Reason.StartsWith("TimeLimitExceeded", StringComparison.Ordinal));
        Assert.Equal(AttemptOutcome.Failed, failed.Attempts.Single().Outcome);
        var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        Assert.DoesNotContain(queue.Running, e => e.JobId == id);
        Assert.DoesNotContain(daemon.Backend.Running, a => a.JobId == id);
        var attempt = failed.Attempts.Single();
        Assert.Equal(2, attempt.Ranks.Count);
        foreach (var rank in attempt.Ranks)
            Assert.Equal(GpuHealth.Healthy, await Grains.GetGrain<IGpuGrain>(rank.DeviceId).GetHealthAsync());
    }

    [Fact]
    public async Task Suspend_checkpoints_and_releases_the_devices_and_resume_restarts_from_that_checkpoint_without_using_the_budget()
    {
        const string id = "pausable";
        daemon.Backend.WorkersCheckpoint = true;
        try
        {
            // One attempt in all: had the suspend counted against the budget, the job could not start again.
            await Job(id).SubmitAsync(TestJobs.Tiny(id, steps: 40, gpus: 2, maxAttempts: 1));
            var running = await daemon.LaunchedAsync(id);
            await daemon.HeartbeatAsync(running);
            var node = running.CurrentAttempt!.Nodes[0];
            await Job(id).ReportCheckpointAsync(1, node, new CheckpointReport(10, "t1·p1·d2", 0.01, 0.1, 1024, 1024));

            var suspending = await Job(id).SuspendAsync("test");
            Assert.Equal(JobState.Running, suspending.State);
            Assert.Equal(ReportAck.CheckpointAndStop, await daemon.HeartbeatAsync(running));
            Assert.Equal(ReportAck.Stop, await Job(id).ReportCheckpointAsync(1, node, new CheckpointReport(12, "t1·p1·d2", 0.01, 0.1, 1024, 1024, Final: true)));

            var suspended = await JobWaits.UntilStateAsync(Grains, id, JobState.Suspended, Patience);
            Assert.Equal(AttemptOutcome.Preempted, suspended.Attempts.Single().Outcome);
            var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
            Assert.DoesNotContain(queue.Running.Concat(queue.Waiting), e => e.JobId == id);
            Assert.DoesNotContain(daemon.Backend.Running, a => a.JobId == id);
            Assert.Contains("suspended", (await daemon.Client.ListAsync()).Single(j => j.Id == id).Held, StringComparison.Ordinal);

            await Job(id).ResumeAsync("test");
            var resumed = await daemon.LaunchedAsync(id, attempt: 2);
            Assert.Equal(12, resumed.CurrentAttempt!.StartStep);
            Assert.Equal(12, daemon.Backend.Running.Single(a => a.JobId == id).StartStep);
            await daemon.CompleteAsync(id);
        }
        finally
        {
            daemon.Backend.WorkersCheckpoint = false;
            await Job(id).CancelAsync("test over");
        }
    }

    [Fact]
    public async Task A_waiting_job_suspends_at_once_and_the_attempt_history_keeps_the_first_and_newest_attempts()
    {
        const string id = "cycled";
        await Job(id).SubmitAsync(TestJobs.Tiny(id, maxAttempts: 1));
        try
        {
            // Simulated workers that cannot checkpoint: each suspend stops the attempt at once.
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await daemon.LaunchedAsync(id, attempt);
                Assert.Equal(JobState.Suspended, (await Job(id).SuspendAsync("cycle")).State);
                await Job(id).ResumeAsync("cycle");
            }

            var job = await daemon.LaunchedAsync(id, attempt: 6);
            // AttemptsKept is 3 in this daemon: the first and the two newest.
            Assert.Equal([1, 5, 6], job.Attempts.Select(a => a.Number));
            Assert.All(job.Attempts.SkipLast(1), a => Assert.Equal(AttemptOutcome.Preempted, a.Outcome));
        }
        finally
        {
            await Job(id).CancelAsync("test over");
        }
    }

    [Fact]
    public async Task A_preemptor_whose_victim_never_checkpoints_gets_the_devices_after_the_preemption_timeout()
    {
        daemon.Backend.WorkersCheckpoint = true;
        using var heartbeats = new CancellationTokenSource();
        try
        {
            await Job("victim").SubmitAsync(TestJobs.Tiny("victim", gpus: 4, priority: 0));
            var victim = await daemon.LaunchedAsync("victim");
            await daemon.HeartbeatAsync(victim);
            // The victim's workers stay alive but ignore the request to checkpoint (its grace period is 10 minutes).
            var beating = Task.Run(async () =>
            {
                while (!heartbeats.IsCancellationRequested)
                {
                    await daemon.HeartbeatAsync(victim);
                    await Task.Delay(500);
                }
            });
            await Job("preemptor").SubmitAsync(TestJobs.Tiny("preemptor", gpus: 4, priority: 10));

            var preemptor = await daemon.LaunchedAsync("preemptor");
            Assert.Equal(4, preemptor.CurrentAttempt!.Ranks.Count);
            await heartbeats.CancelAsync();
            await beating;
            var stopped = (await Job("victim").GetAsync())!;
            Assert.Equal(AttemptOutcome.Preempted, stopped.Attempts[0].Outcome);
            Assert.Contains("preemption timeout", stopped.Attempts[0].Reason);
            Assert.Contains(stopped.Events, e => e.Reason.Contains("the scheduler took the devices back", StringComparison.Ordinal));
        }
        finally
        {
            await heartbeats.CancelAsync();
            daemon.Backend.WorkersCheckpoint = false;
            await Job("preemptor").CancelAsync("test over");
            await Job("victim").CancelAsync("test over");
        }
    }
}
