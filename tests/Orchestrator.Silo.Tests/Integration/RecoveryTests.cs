using System.Runtime.InteropServices;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Jobs come back by themselves from the last checkpoint: after a killed worker, and on fewer devices.</summary>
public sealed class RecoveryTests(EightDeviceClusterFixture fixture) : IClassFixture<EightDeviceClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private IGrainFactory Grains => fixture.Grains;

    private CheckpointStore Store => new(new CheckpointStoreOptions { Root = Path.Combine(fixture.DataDirectory, "checkpoints") });

    private async Task<string> SubmitAsync(TrainingJobSpec spec)
    {
        var id = $"{spec.Metadata.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        return id;
    }

    [Fact]
    public async Task A_killed_worker_resumes_from_its_last_checkpoint_and_ends_with_the_weights_of_an_uninterrupted_run()
    {
        var spec = TestJobs.Tiny("resume", steps: 60) with { Checkpoint = new CheckpointSpec(EverySteps: 5, Keep: 3) };
        var reference = await SubmitAsync(spec with { Metadata = spec.Metadata with { Name = "uninterrupted" } });
        var killed = await SubmitAsync(spec);
        await JobWaits.UntilAsync(Grains, killed, j => j.Progress is { Step: > 12 } && j.Checkpoints is { Count: > 0 }, Patience);
        System.Diagnostics.Process.GetProcessById(Assert.Single(WorkerProcesses.Of(killed))).Kill();

        var job = await JobWaits.UntilStateAsync(Grains, killed, JobState.Succeeded, Patience);
        await JobWaits.UntilStateAsync(Grains, reference, JobState.Succeeded, Patience);
        Assert.Equal(2, job.Attempts.Count);
        var (first, second) = (job.Attempts[0], job.Attempts[1]);
        Assert.Equal(AttemptOutcome.Failed, first.Outcome);
        // The newest checkpoint the first attempt reported (not a multiple of 5 when a save was still writing at a
        // boundary: the saver then asks again at the next step; under load the first attempt may have saved only step 5).
        var lastSaved = job.Checkpoints!.Where(c => c.Attempt == 1).Max(c => c.Step);
        Assert.True(second.StartStep > 0 && second.StartStep >= lastSaved, $"resumed at step {second.StartStep}, the first attempt saved step {lastSaved}");
        Assert.Contains(job.Events, e => e.Attempt == 2 && e.Reason.StartsWith($"restored the checkpoint of step {second.StartStep}", StringComparison.Ordinal));
        Assert.Equal(1, job.Goodput!.Recoveries);
        Assert.Equal(first.LastStep - second.StartStep, job.Goodput.StepsRedone);

        // A worker of the first attempt can no longer commit or report.
        var grain = Grains.GetGrain<IJobGrain>(killed);
        Assert.False(await grain.MayCommitCheckpointAsync(1));
        Assert.Equal(ReportAck.Stop, await grain.ReportCheckpointAsync(1, "local", new CheckpointReport(5, "t1·p1·d1", 0, 0, 1, 1)));

        // Same seed and data order from a checkpoint boundary: the final weights and optimizer state are those of the uninterrupted run.
        var resumedFinal = (await Store.LatestValidAsync(killed, CancellationToken.None))!;
        var referenceFinal = (await Store.LatestValidAsync(reference, CancellationToken.None))!;
        Assert.Equal(60, resumedFinal.Step);
        Assert.Equal(60, referenceFinal.Step);
        Assert.Equal(referenceFinal.Tensors.Select(t => t.Name).Order(), resumedFinal.Tensors.Select(t => t.Name).Order());
        foreach (var tensor in referenceFinal.Tensors)
        {
            var expected = MemoryMarshal.Cast<byte, float>(await Store.ReadTensorAsync(referenceFinal, tensor.Name, CancellationToken.None)).ToArray();
            var actual = MemoryMarshal.Cast<byte, float>(await Store.ReadTensorAsync(resumedFinal, tensor.Name, CancellationToken.None)).ToArray();
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-6, $"{tensor.Name} differs by {worst}");
        }
    }

    [Fact]
    public async Task A_job_that_loses_half_its_devices_continues_on_the_rest_with_a_smaller_layout_from_its_checkpoint()
    {
        var spec = TestJobs.Tiny("shrink", steps: 60, gpus: 8, maxAttempts: 5) with
        {
            Parallelism = new ParallelismSpec(false, Tensor: 2, Pipeline: 2, Data: 2, MicroBatch: 4),
            Resources = new ResourcesSpec(8, "cpu", MinGpus: 4),
            Checkpoint = new CheckpointSpec(EverySteps: 5),
        };
        var id = await SubmitAsync(spec);
        // A checkpoint of step 10 or later must be committed, not merely the step reached: under load the save of step
        // 10 is still writing when step 11 is reported, and a drill then would resume from step 5.
        var running = await JobWaits.UntilAsync(Grains, id, j => j.Checkpoints?.Any(c => c.Step >= 10) == true, Patience);
        var newestSaved = running.Checkpoints!.Max(c => c.Step);
        var lost = running.CurrentAttempt!.Ranks.Skip(4).Select(r => r.DeviceId).ToList();
        try
        {
            foreach (var device in lost) await Grains.GetGrain<IGpuGrain>(device).SetHealthAsync(GpuHealth.Failed, "drill: half the devices fail");

            var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);
            var last = job.Attempts[^1];
            Assert.Equal(4, last.Ranks.Count);
            Assert.DoesNotContain(last.Ranks, r => lost.Contains(r.DeviceId));
            Assert.Equal((2, 2, 1), (last.Plan.Tensor, last.Plan.Pipeline, last.Plan.Data));
            Assert.Contains("shrunk from d2 to d1", last.Plan.Source);
            Assert.True(last.StartStep >= newestSaved, $"resumed at step {last.StartStep}, step {newestSaved} was committed before the devices failed");
            Assert.Contains(job.Events, e => e.Attempt == last.Number && e.Reason.Contains("resharded from t2·p2·d2 to t2·p2·d1"));
            Assert.Equal(60, (await Store.LatestValidAsync(id, CancellationToken.None))!.Step);
        }
        finally
        {
            foreach (var device in lost) await Grains.GetGrain<IGpuGrain>(device).SetHealthAsync(GpuHealth.Healthy, "drill over");
        }
    }
}
