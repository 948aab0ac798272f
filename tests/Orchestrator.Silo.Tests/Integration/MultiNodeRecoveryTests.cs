using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// A built-in job whose attempt spans two nodes runs as two real worker processes; killing one mid-run ends the
/// whole attempt (the other process does not hang in its next collective) and the job resumes from its last
/// checkpoint, which both processes wrote, and succeeds.
/// </summary>
public sealed class MultiNodeRecoveryTests(TwoNodeClusterFixture fixture) : IClassFixture<TwoNodeClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    // What the issue allows the surviving processes of an attempt after one dies.
    private static readonly TimeSpan SurvivorsExit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Killing_one_worker_process_ends_every_process_of_the_attempt_and_the_job_resumes_from_its_checkpoint()
    {
        var spec = TestJobs.Tiny("split", steps: 60, gpus: 2) with { Checkpoint = new CheckpointSpec(EverySteps: 5, Keep: 3) };
        var id = $"split-{Guid.NewGuid().ToString("N")[..5]}";
        await fixture.Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        var running = await JobWaits.UntilAsync(fixture.Grains, id, j => j.Progress is { Step: > 12 } && j.Checkpoints is { Count: > 0 }, Patience);
        Assert.Equal(["local-0", "local-1"], running.CurrentAttempt!.Nodes.Order());
        var survivor = Assert.Single(WorkerProcesses.Of(id, "local-0"));

        // The process that does not report (rank 0 lives on local-0) dies: the reporting one must notice on its own.
        System.Diagnostics.Process.GetProcessById(Assert.Single(WorkerProcesses.Of(id, "local-1"))).Kill();
        var deadline = DateTime.UtcNow + SurvivorsExit;
        while (WorkerProcesses.Of(id, "local-0").Contains(survivor))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the worker on local-0 (pid {survivor}) still runs {SurvivorsExit.TotalSeconds} s after its peer was killed");
            await Task.Delay(100);
        }

        var job = await JobWaits.UntilStateAsync(fixture.Grains, id, JobState.Succeeded, Patience);
        Assert.Equal(2, job.Attempts.Count);
        Assert.Equal(AttemptOutcome.Failed, job.Attempts[0].Outcome);
        var resumedAt = job.Attempts[1].StartStep;
        Assert.True(resumedAt >= 5 && resumedAt % 5 == 0, $"resumed at step {resumedAt}");
        Assert.Contains(job.Events, e => e.Attempt == 2 && e.Reason.StartsWith($"restored the checkpoint of step {resumedAt}", StringComparison.Ordinal));
    }
}
