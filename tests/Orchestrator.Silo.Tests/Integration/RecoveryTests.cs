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

        // Same seed and data order from a checkpoint boundary: the final weights and optimizer state are those of the
        // uninterrupted run, up to rounding (seen at most 2.6e-7 when the runs were not bitwise equal), except the key
        // bias: the loss is invariant to it (softmax ignores a shift shared by a row of scores), so its gradient is pure
        // rounding noise (RMS ~1e-12) that AdamW's eps 1e-8 turns into steps of ~lr·1e-4. Any last-bit difference
        // elsewhere changes that noise, and once the key biases differed by 2.03e-5 while every other value agreed
        // within 2.6e-7. It is compared by what it must be: noise far below the query bias, which does learn.
        var model = spec.Model;
        var resumedFinal = (await Store.LatestValidAsync(killed, CancellationToken.None))!;
        var referenceFinal = (await Store.LatestValidAsync(reference, CancellationToken.None))!;
        Assert.Equal(60, resumedFinal.Step);
        Assert.Equal(60, referenceFinal.Step);
        Assert.Equal(referenceFinal.Tensors.Select(t => t.Name).Order(), resumedFinal.Tensors.Select(t => t.Name).Order());
        foreach (var tensor in referenceFinal.Tensors)
        {
            var expected = MemoryMarshal.Cast<byte, float>(await Store.ReadTensorAsync(referenceFinal, tensor.Name, CancellationToken.None)).ToArray();
            var actual = MemoryMarshal.Cast<byte, float>(await Store.ReadTensorAsync(resumedFinal, tensor.Name, CancellationToken.None)).ToArray();
            var key = tensor.Name.StartsWith("model/", StringComparison.Ordinal) && tensor.Name.EndsWith("attention.query_key_value.bias", StringComparison.Ordinal)
                ? KeySlice(model.Hidden / model.Heads) : (_ => false);
            var worst = expected.Select((e, i) => key(i) ? 0 : Math.Abs(e - actual[i])).Max();
            Assert.True(worst <= 1e-6, $"{tensor.Name} differs by {worst}");
            if (expected.Where((_, i) => key(i)).Any())
            {
                var learned = expected.Where((_, i) => !key(i)).Max(Math.Abs);
                foreach (var run in new[] { expected, actual })
                    Assert.True(run.Where((_, i) => key(i)).Max(Math.Abs) < learned * 1e-2, $"{tensor.Name}: the key bias moved like a trained value");
            }
        }
    }

    /// <summary>Which elements of a fused query/key/value bias (head-major: [heads, 3, headSize]) are the key bias.</summary>
    private static Func<int, bool> KeySlice(int headSize) => i => i / headSize % 3 == 1;

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
