using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Execution.External;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>A user's own program (<c>runtime.command</c>) on the local backend: two nodes, one process each.</summary>
public sealed class UserProgramTests(TwoNodeClusterFixture fixture) : IClassFixture<TwoNodeClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private IGrainFactory Grains => fixture.Grains;

    private static TrainingJobSpec Program(string name, IReadOnlyList<string> command, int maxAttempts = 3, IReadOnlyDictionary<int, ExitCodeAction>? onExitCodes = null) =>
        TestJobs.Tiny(name, steps: 20, gpus: 2, maxAttempts: maxAttempts) with
        {
            Runtime = new RuntimeSpec(null, command, null, new Dictionary<string, string> { ["STEP_SECONDS"] = "0" }),
            RestartPolicy = new RestartPolicySpec(maxAttempts, 0.2, 1, onExitCodes),
        };

    private async Task<string> SubmitAsync(TrainingJobSpec spec)
    {
        var id = $"{spec.Metadata.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        return id;
    }

    private async Task<IReadOnlyList<GpuHealth>> HealthOfAsync(IEnumerable<PlacedRank> ranks)
    {
        var cluster = await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
        var devices = ranks.Select(r => r.DeviceId).ToHashSet();
        return cluster.Nodes.SelectMany(n => n.Gpus).Where(g => devices.Contains(g.Id)).Select(g => g.Health).ToList();
    }

    [Fact]
    public async Task A_runtime_command_job_rendezvous_across_two_processes_and_succeeds()
    {
        var id = await SubmitAsync(Program("byo-ddp", ["python3", TestJobs.RepositoryFile("examples/python-trainer/train.py")]));
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);

        var attempt = Assert.Single(job.Attempts);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(2, attempt.Nodes.Count);
        Assert.Equal(20, job.Progress!.Step);
        Assert.Equal(4.0 / 3.0, job.Progress.Loss, 3);
        foreach (var rank in attempt.Ranks)
        {
            var log = await Grains.GetGrain<IJobGrain>(id).ReadLogAsync(null, rank.Rank, 0);
            Assert.Contains("sum of node values 3 (expected 3)", log.Text);
            Assert.Contains("ORCH_PROGRESS step=20 ", log.Text);
        }

        // The program keeps its own checkpoints where the control plane told it to.
        var state = Path.Combine(TrainerEnvironment.CheckpointDirectory(Path.Combine(fixture.DataDirectory, "checkpoints"), id), "state.json");
        Assert.Equal("{\"step\": 20}", await File.ReadAllTextAsync(state));
    }

    [Fact]
    public async Task A_users_non_zero_exit_is_retried_and_does_not_mark_devices_suspect()
    {
        var id = await SubmitAsync(Program("byo-crash", ["python3", "-c", "import sys; print('diverged'); sys.exit(3)"], maxAttempts: 2));
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        Assert.Equal(2, job.Attempts.Count);
        Assert.All(job.Attempts, a => Assert.Equal(AttemptOutcome.Failed, a.Outcome));
        Assert.Contains("program exited with code 3: diverged", job.Attempts[0].Reason);
        Assert.Contains("not charged to devices", job.Attempts[0].Reason);
        Assert.All(await HealthOfAsync(job.Attempts.SelectMany(a => a.Ranks)), h => Assert.Equal(GpuHealth.Healthy, h));
    }

    [Fact]
    public async Task On_exit_codes_fail_ends_the_job_without_a_retry()
    {
        var rules = new Dictionary<int, ExitCodeAction> { [42] = ExitCodeAction.Fail };
        var id = await SubmitAsync(Program("byo-fatal", ["python3", "-c", "import sys; sys.exit(42)"], maxAttempts: 3, rules));
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        var attempt = Assert.Single(job.Attempts);
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.Contains("restartPolicy.onExitCodes: 42 → fail", attempt.Reason);
        Assert.Contains(job.Events, e => e.To == JobState.Failed && e.Reason.Contains("not restarted"));
        Assert.All(await HealthOfAsync(attempt.Ranks), h => Assert.Equal(GpuHealth.Healthy, h));
    }

    [Fact]
    public async Task On_exit_codes_ignore_retries_without_using_up_attempts()
    {
        var rules = new Dictionary<int, ExitCodeAction> { [43] = ExitCodeAction.Ignore };
        var id = await SubmitAsync(Program("byo-ignore", ["python3", "-c", "import sys; sys.exit(43)"], maxAttempts: 1, rules));
        try
        {
            // maxAttempts 1 would fail the job after its first attempt, were the exit counted.
            var job = await JobWaits.UntilAsync(Grains, id, j => j.Attempts.Count >= 3, Patience);
            Assert.NotEqual(JobState.Failed, job.State);
            Assert.All(job.Attempts.Take(2), a => Assert.Equal(AttemptOutcome.Interrupted, a.Outcome));
            Assert.Contains(job.Events, e => e.To == JobState.Recovering && e.Reason.Contains("was interrupted") && e.Reason.Contains("not counted against the 1 attempt(s)"));
        }
        finally
        {
            await Grains.GetGrain<IJobGrain>(id).CancelAsync("test over");
        }
    }

    [Fact]
    public async Task A_program_that_cannot_start_is_a_spec_error_without_a_retry()
    {
        var id = await SubmitAsync(Program("byo-missing", ["/nonexistent/trainer"]));
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        Assert.Contains("cannot start '/nonexistent/trainer'", Assert.Single(job.Attempts).Reason);
        Assert.Contains("the spec cannot run as written", job.Message);
    }

    [Fact]
    public async Task The_relay_heartbeats_for_a_silent_program_relays_progress_and_passes_on_a_stop()
    {
        // A program that never prints: only the relay's heartbeats can move the job to Running.
        var id = await SubmitAsync(Program("byo-relay", ["python3", "-c", "import time; time.sleep(600)"]));
        var running = await JobWaits.UntilStateAsync(Grains, id, JobState.Running, Patience);
        var attempt = running.CurrentAttempt!;
        Assert.Null(running.Progress);

        var assignment = new Contracts.Workers.WorkerAssignment(id, attempt.Number, attempt.Nodes[0], attempt.Ranks.Where(r => r.Node == attempt.Nodes[0]).ToList(),
            attempt.Ranks.Count, attempt.Plan, running.Spec, [], "", "", null, 0, Nodes: attempt.Nodes);
        using var relay = new ExternalTrainerRelay(Grains, assignment, TimeProvider.System);
        Assert.False(await relay.OnOutputLineAsync("epoch 1 done"));
        Assert.True(await relay.OnOutputLineAsync("ORCH_PROGRESS step=5 loss=2.5 tokens=4096"));
        var progressed = await Grains.GetGrain<IJobGrain>(id).GetAsync();
        Assert.Equal((5L, 2.5), (progressed!.Progress!.Step, progressed.Progress.Loss));
        Assert.False(relay.StopRequested.IsCancellationRequested);

        await Grains.GetGrain<IJobGrain>(id).CancelAsync("test cancels");
        await relay.OnOutputLineAsync("ORCH_PROGRESS step=6 loss=2.4");
        Assert.True(relay.StopRequested.IsCancellationRequested);
        Assert.Equal(5, (await Grains.GetGrain<IJobGrain>(id).GetAsync())!.Progress!.Step);
    }

    [Fact]
    public async Task A_preempted_program_is_asked_to_stop_saves_its_own_checkpoint_and_resumes_from_it()
    {
        var trainer = TestJobs.RepositoryFile("examples/python-trainer/train.py");
        var lowSpec = Program("byo-low", ["python3", trainer]) with
        {
            Training = new TrainingSpec(8, 600, new OptimizerSpec()),
            Runtime = new RuntimeSpec(null, ["python3", trainer], null, new Dictionary<string, string> { ["STEP_SECONDS"] = "0.01" }),
        };
        var low = await SubmitAsync(lowSpec);
        await JobWaits.UntilAsync(Grains, low, j => j.Progress is { Step: > 15 }, Patience);
        var high = await SubmitAsync(TestJobs.Tiny("byo-high", steps: 5, gpus: 1, priority: 10));

        await JobWaits.UntilStateAsync(Grains, high, JobState.Succeeded, Patience);
        var done = await JobWaits.UntilStateAsync(Grains, low, JobState.Succeeded, Patience);
        var preempted = done.Attempts[0];
        // The program exits 0 after SIGTERM: that is a stop the control plane asked for, not a finished job.
        Assert.Equal(AttemptOutcome.Preempted, preempted.Outcome);
        Assert.Equal(600, done.Progress!.Step);
        var stopped = await Grains.GetGrain<IJobGrain>(low).ReadLogAsync(1, 0, 0);
        Assert.Contains("asked to stop: leaving at step", stopped.Text);
        var resumed = await Grains.GetGrain<IJobGrain>(low).ReadLogAsync(2, 0, 0);
        Assert.Contains("resuming from my own checkpoint at step", resumed.Text);
    }

    [Fact]
    public async Task An_image_is_not_used_locally_and_the_jobs_events_say_so()
    {
        var spec = Program("byo-image", ["python3", "-c", "print('ORCH_PROGRESS step=20 loss=1.5')"]);
        var id = await SubmitAsync(spec with { Runtime = spec.Runtime with { Image = "registry.example/trainer:1" } });
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);

        Assert.Contains(job.Events, e => e.Reason.Contains("image 'registry.example/trainer:1' is not used"));
        Assert.Equal((20L, 1.5), (job.Progress!.Step, job.Progress.Loss));
    }

    [Fact]
    public async Task An_image_without_a_command_cannot_run_locally_and_is_not_retried()
    {
        var id = await SubmitAsync(Program("byo-image-only", ["unused"]) with { Runtime = new RuntimeSpec("registry.example/trainer:1") });
        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        Assert.Contains("without runtime.command cannot run on the local backend", Assert.Single(job.Attempts).Reason);
        Assert.Contains(job.Events, e => e.Reason.Contains("the local backend cannot run image"));
    }

    [Fact]
    public async Task The_relay_measures_step_time_and_throughput_between_progress_lines_unless_the_program_says()
    {
        var id = await SubmitAsync(Program("byo-rate", ["python3", "-c", "import time; time.sleep(600)"]));
        try
        {
            var running = await JobWaits.UntilStateAsync(Grains, id, JobState.Running, Patience);
            var attempt = running.CurrentAttempt!;
            var assignment = new Contracts.Workers.WorkerAssignment(id, attempt.Number, attempt.Nodes[0], attempt.Ranks.Where(r => r.Node == attempt.Nodes[0]).ToList(),
                attempt.Ranks.Count, attempt.Plan, running.Spec, [], "", "", null, 0, Nodes: attempt.Nodes);
            var clock = new ManualClock(DateTimeOffset.UnixEpoch);
            using var relay = new ExternalTrainerRelay(Grains, assignment, clock);

            clock.Advance(TimeSpan.FromSeconds(2));
            await relay.OnOutputLineAsync("ORCH_PROGRESS step=5 loss=2 tokens=1000");
            var measured = (await Grains.GetGrain<IJobGrain>(id).GetAsync())!.Progress!;
            Assert.Equal((0.4, 500.0), (measured.StepSeconds, measured.TokensPerSecond), new ApproximateTuple());

            clock.Advance(TimeSpan.FromSeconds(9));
            await relay.OnOutputLineAsync("ORCH_PROGRESS step=10 loss=1.5 tokens=1000 step_seconds=0.1 mfu=0.25");
            var told = (await Grains.GetGrain<IJobGrain>(id).GetAsync())!.Progress!;
            Assert.Equal((0.1, 2000.0), (told.StepSeconds, told.TokensPerSecond), new ApproximateTuple());
            Assert.Equal((10L, 1.5, 2.0, 0.25), (told.Step, told.Loss, told.FirstLoss, told.ModelFlopsUtilization!.Value));
        }
        finally
        {
            await Grains.GetGrain<IJobGrain>(id).CancelAsync("test over");
        }
    }

    private sealed class ApproximateTuple : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-9 && Math.Abs(x.Item2 - y.Item2) < 1e-6;

        public int GetHashCode((double, double) obj) => 0;
    }
}
