using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// Evaluation runs end to end on the embedded cluster: a tiny GPT trained for a few steps is evaluated from its
/// checkpoint by shards that the scheduler places like training, run as real worker processes with the built-in client.
/// </summary>
public sealed class EvaluationRunTests(EmbeddedClusterFixture fixture) : IClassFixture<EmbeddedClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_checkpoint_is_evaluated_in_shards_and_a_killed_shard_worker_resumes_alone_with_no_instance_redone()
    {
        var trained = await TrainAsync();

        // Two shards on the two local devices, over the example's scenarios: HELM's files and scores come back.
        var example = ExampleSpec(trained) with { Shards = 2 };
        var run = await SubmitAsync(example);
        Assert.Equal(2, run.Shards.Count);
        var done = await EvaluationWaits.UntilFinishedAsync(Grains, run.Id, Patience);
        Assert.True(done.State == JobState.Succeeded, done.Message);
        Assert.Equal(ResolvedModel.BuiltinId(trained, 10), done.Model!.ModelId);
        Assert.All(done.Shards, s => Assert.Equal((ShardState.Succeeded, 1), (s.State, s.Attempts)));
        foreach (var scenario in new[] { "arithmetic", "colours" })
        {
            foreach (var file in new[] { "run_spec.json", "scenario_state.json", "per_instance_stats.json", "stats.json" })
                Assert.True(File.Exists(Path.Combine(done.ResultsDirectory!, scenario, file)), $"{scenario}/{file}");
            Assert.Contains(done.Scores, s => s.Scenario == scenario && s.Metric == "exact_match" && s.Perturbation is null && s.Mean is >= 0 and <= 1);
        }

        using (var perInstance = JsonDocument.Parse(File.ReadAllText(Path.Combine(done.ResultsDirectory!, "arithmetic", "per_instance_stats.json"))))
            Assert.Equal(16 * 3, perInstance.RootElement.GetArrayLength()); // each instance, its typos and its lower-cased copy

        // One shard over many instances: its worker is killed mid-run; the shard alone is queued again and its next
        // worker resumes from the results file.
        var sums = Path.Combine(fixture.DataDirectory, "sums.jsonl");
        await File.WriteAllLinesAsync(sums, Enumerable.Range(0, 400).Select(i => JsonSerializer.Serialize(new
        {
            id = $"s{i}", input = $"{i % 10}+{i / 10 % 10}=", split = "test", references = new[] { new { output = $"{i % 10 + i / 10 % 10}", tags = new[] { "correct" } } },
        })));
        var big = example with
        {
            Metadata = example.Metadata with { Name = "eval-kill" },
            Scenarios = [example.Scenarios[0] with { Name = "sums", Source = "file:" + sums, Adapter = example.Scenarios[0].Adapter with { MaxTokens = 6 } }],
            Shards = 1,
        };
        var killed = await SubmitAsync(big);
        var shard = Grains.GetGrain<IEvaluationShardGrain>($"{killed.Id}/0");
        var deadline = DateTime.UtcNow + Patience;
        while ((await shard.GetAsync())?.Progress is not { Done: >= 3 })
        {
            Assert.True(DateTime.UtcNow < deadline, "the shard never reported progress");
            await Task.Delay(20);
        }

        Process.GetProcessById(Assert.Single(WorkerProcesses.Of($"{killed.Id}/0"))).Kill();
        var finished = await EvaluationWaits.UntilFinishedAsync(Grains, killed.Id, Patience);
        Assert.True(finished.State == JobState.Succeeded, finished.Message);
        var only = Assert.Single(finished.Shards);
        Assert.Equal(2, only.Attempts);
        Assert.Equal(0, only.Redone);
        Assert.True(only.Progress!.Resumed >= 3, $"resumed {only.Progress.Resumed}");
        Assert.Equal(400, only.Progress.Done);
        Assert.Contains(finished.Events, e => e.Reason.Contains("queued again"));
    }

    [Fact]
    public async Task Step_every_evaluates_each_committed_checkpoint_of_a_running_job_below_its_priority()
    {
        var training = TestJobs.Tiny("followed", steps: 12) with { Model = TestEvaluations.ByteGpt, Checkpoint = new CheckpointSpec(EverySteps: 4, Keep: 3) };
        var jobId = $"followed-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(jobId).SubmitAsync(training);
        var spec = ExampleSpec(jobId) with
        {
            Metadata = new JobMetadata("eval-every", "default", 5),
            Model = new EvaluationModelSpec(new CheckpointModelSpec(jobId, CheckpointModelSpec.Every), null),
            MaxInstances = 2,
            Shards = 1,
        };
        var follower = await SubmitAsync(spec);
        Assert.NotNull(follower.Checkpoints);

        var done = await EvaluationWaits.UntilFinishedAsync(Grains, follower.Id, Patience);
        var job = await Grains.GetGrain<IJobGrain>(jobId).GetAsync();
        Assert.True(done.State == JobState.Succeeded, done.Message + string.Join("; ", done.Checkpoints!.Select(c => c.Message)));
        Assert.NotNull(done.Checkpoints);
        Assert.Equal(job!.Checkpoints!.Select(c => c.Step).Order(), done.Checkpoints.Select(c => c.Step).Order());
        Assert.Contains(12L, done.Checkpoints.Select(c => c.Step));
        Assert.All(done.Checkpoints, c => Assert.Contains(c.Scores, s => s.Scenario == "arithmetic" && s.Metric == "exact_match"));
        var child = (await Grains.GetGrain<IEvaluationRunGrain>(done.Checkpoints[0].RunId).GetAsync())!;
        Assert.Equal(-1, child.Spec.Metadata.Priority); // below the training job's 0, though the spec asked for 5
        Assert.Equal(ResolvedModel.BuiltinId(jobId, done.Checkpoints[0].Step), child.Model!.ModelId);
        Assert.Equal([follower.Id], await Grains.GetGrain<IEvaluationIndexGrain>("default").RunsOfAsync(jobId));
    }

    [Fact]
    public async Task Bad_runs_are_refused_with_the_field_that_is_wrong_and_nothing_is_stored()
    {
        var spec = ExampleSpec("no-such-training-job");
        var missing = await Assert.ThrowsAsync<JobSpecException>(() => Grains.GetGrain<IEvaluationRunGrain>("refused-1").SubmitAsync(spec));
        Assert.Contains(missing.Errors, e => e.Path == "spec.model.checkpoint.job" && e.Message.Contains("no-such-training-job"));
        Assert.Null(await Grains.GetGrain<IEvaluationRunGrain>("refused-1").GetAsync());

        var tooBig = await Assert.ThrowsAsync<JobSpecException>(() =>
            Grains.GetGrain<IEvaluationRunGrain>("refused-2").SubmitAsync(spec with { Resources = new ResourcesSpec(3, "cpu") }));
        Assert.Contains(tooBig.Errors, e => e.Path == "spec.resources.gpus" && e.Message.Contains("exceeds"));
    }

    private async Task<string> TrainAsync()
    {
        var spec = TestJobs.Tiny("eval-source", steps: 10) with
        {
            Model = TestEvaluations.ByteGpt,
            Checkpoint = new CheckpointSpec(EverySteps: 5, Keep: 3),
        };
        var id = $"eval-source-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);
        return id;
    }

    private async Task<EvaluationRunView> SubmitAsync(EvaluationJobSpec spec) =>
        await Grains.GetGrain<IEvaluationRunGrain>($"{spec.Metadata.Name}-{Guid.NewGuid().ToString("N")[..5]}").SubmitAsync(spec);

    /// <summary>examples/eval-tiny.yaml's run, on <paramref name="job"/>'s newest checkpoint.</summary>
    private static EvaluationJobSpec ExampleSpec(string job) =>
        TestEvaluations.Example(new EvaluationModelSpec(new CheckpointModelSpec(job, CheckpointModelSpec.Latest), null));
}
