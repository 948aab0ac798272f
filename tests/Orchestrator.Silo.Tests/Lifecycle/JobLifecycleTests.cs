using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Tests.Lifecycle;

public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_transition_is_recorded_with_time_states_reason_and_attempt()
    {
        var job = new JobLifecycle();

        job.Move(JobState.Planning, T0, "scheduling pass");
        job.Move(JobState.Placed, T0.AddSeconds(1), "8 devices on n0");
        job.Move(JobState.Starting, T0.AddSeconds(2), "launching workers");
        job.Move(JobState.Running, T0.AddSeconds(5), "first heartbeat");
        job.Move(JobState.Succeeded, T0.AddMinutes(3), "all steps done");

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.True(job.IsTerminal);
        Assert.Equal(
            [JobState.Pending, JobState.Planning, JobState.Placed, JobState.Starting, JobState.Running],
            job.Events.Select(e => e.From));
        Assert.Equal(new JobLifecycleEvent(T0.AddSeconds(5), JobState.Starting, JobState.Running, "first heartbeat", 1), job.Events[3]);
        Assert.Equal([0, 0, 1, 1, 1], job.Events.Select(e => e.Attempt));
    }

    [Fact]
    public void Each_launch_after_recovery_opens_the_next_attempt()
    {
        var job = RunningJob();

        job.Move(JobState.Recovering, T0.AddMinutes(1), "worker exited with code 137");
        job.Move(JobState.Placed, T0.AddMinutes(2), "re-placed on n1");
        job.Move(JobState.Starting, T0.AddMinutes(2), "launching workers");
        Assert.Equal(2, job.Attempt);

        job.Move(JobState.Recovering, T0.AddMinutes(3), "launch failed");
        job.Move(JobState.Placed, T0.AddMinutes(4), "re-placed on n2");
        job.Move(JobState.Starting, T0.AddMinutes(4), "launching workers");

        Assert.Equal(3, job.Attempt);
    }

    [Fact]
    public void A_refused_move_changes_nothing_and_says_why()
    {
        var job = new JobLifecycle();

        Assert.False(job.TryMove(JobState.Running, T0, "skip ahead", out var recorded, out var error));

        Assert.Null(recorded);
        Assert.Contains("Pending", error);
        Assert.Equal(JobState.Pending, job.State);
        Assert.Empty(job.Events);
    }

    [Fact]
    public void A_move_needs_a_reason()
    {
        Assert.False(new JobLifecycle().TryMove(JobState.Planning, T0, " ", out _, out var error));
        Assert.Contains("reason", error);
    }

    [Fact]
    public void A_move_back_in_time_is_refused()
    {
        var job = new JobLifecycle();
        job.Move(JobState.Planning, T0, "scheduling pass");

        Assert.False(job.TryMove(JobState.Pending, T0.AddSeconds(-1), "nothing fits", out _, out var error));
        Assert.Contains("before the last event", error);
    }

    [Fact]
    public void Moving_a_cancelled_job_throws_with_the_reason()
    {
        var job = new JobLifecycle();
        job.Move(JobState.Cancelled, T0, "cancelled by alice");

        var error = Assert.Throws<InvalidOperationException>(() => job.Move(JobState.Planning, T0, "scheduling pass"));
        Assert.Contains("final", error.Message);
    }

    [Fact]
    public void A_lifecycle_restored_from_its_events_has_the_same_state_and_attempt()
    {
        var job = RunningJob();
        job.Move(JobState.Recovering, T0.AddMinutes(1), "heartbeat lost");

        var restored = JobLifecycle.Restore(job.Events);

        Assert.Equal((job.State, job.Attempt), (restored.State, restored.Attempt));
        Assert.Equal(job.Events, restored.Events);
    }

    [Fact]
    public void Events_that_do_not_chain_are_refused_on_restore()
    {
        var events = new[]
        {
            new JobLifecycleEvent(T0, JobState.Pending, JobState.Planning, "pass", 0),
            new JobLifecycleEvent(T0, JobState.Placed, JobState.Starting, "launch", 1),
        };

        var error = Assert.Throws<ArgumentException>(() => JobLifecycle.Restore(events));
        Assert.Contains("starts from Placed", error.Message);
    }

    private static JobLifecycle RunningJob()
    {
        var job = new JobLifecycle();
        job.Move(JobState.Planning, T0, "scheduling pass");
        job.Move(JobState.Placed, T0, "placed");
        job.Move(JobState.Starting, T0, "launching workers");
        job.Move(JobState.Running, T0, "first heartbeat");
        return job;
    }
}
