using Orchestrator.Client;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Lineage;

/// <summary>
/// A three-level family made by real workers on the embedded daemon: base -> two fine-tunes (one under another
/// layout) -> an evaluation run of each (one naming the version, one the fine-tune's checkpoint), recorded in the
/// graph with its scores; the graph survives a restart; a cascade from a new base re-runs the fine-tunes and then
/// their evaluation runs against the new fine-tunes.
/// </summary>
public sealed class LineageDaemonTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Evaluations_are_recorded_with_scores_the_graph_survives_a_restart_and_a_cascade_re_runs_fine_tunes_then_their_evaluations_once_in_order()
    {
        var data = TestJobs.TemporaryDirectory("lineage");
        var options = DaemonHost.Options(data);
        // The evaluations read the repository's example scenarios, which must lie under a data root.
        options.Security.DataRoots = [TestJobs.RepositoryFile("examples")];
        ModelRegistryView before;
        EvaluationRunView evalA, evalB;
        using (var first = await DaemonHost.StartAsync(options))
        {
            await using var client = await DaemonHost.ConnectAsync(options);
            var lineage = Lineage(client);
            await RunAsync(client, Gpt("base", steps: 4));
            // tune-a runs data-parallel over both devices: the base (saved under d1) is resharded into d2.
            var tunes = await Task.WhenAll(RunAsync(client, From(Gpt("tune-a", steps: 3, gpus: 2), "base@1")), RunAsync(client, From(Gpt("tune-b", steps: 3), "base@latest")));
            // One run names the version, the other the fine-tune's newest checkpoint, which holds tune-b@1: both are its evaluations.
            var runs = await Task.WhenAll(
                EvaluateAsync(client, TestEvaluations.Small("eval-a", new EvaluationModelSpec(null, null, "tune-a@latest"))),
                EvaluateAsync(client, TestEvaluations.Small("eval-b", new EvaluationModelSpec(new CheckpointModelSpec(tunes[1], CheckpointModelSpec.Latest), null))));
            (evalA, evalB) = (runs[0], runs[1]);
            Assert.Equal(("tune-a@1", tunes[0]), (evalA.Model!.Version, evalA.Model.CheckpointJobId));
            Assert.Contains(evalA.Events, e => e.Reason.Contains("recorded in the lineage graph as an evaluation of model version tune-a@1", StringComparison.Ordinal));

            var unknown = await Assert.ThrowsAsync<JobSpecException>(() => client.SubmitEvaluationAsync(TestEvaluations.Small("eval-x", new EvaluationModelSpec(null, null, "nothing@1"))));
            Assert.Contains(unknown.Errors, e => e.Path == "spec.model.from" && e.Message.Contains("no model named 'nothing'", StringComparison.Ordinal));
            var refused = await Assert.ThrowsAsync<JobSpecException>(() => client.SubmitAsync(From(Gpt("orphan"), "nothing@1")));
            Assert.Contains(refused.Errors, e => e.Path == "spec.model.from" && e.Message.Contains("no model named 'nothing'", StringComparison.Ordinal));

            before = await lineage.GetRegistryAsync();
            // The two fine-tunes run side by side and register in the order they finish.
            Assert.Equal(["base@1", "tune-a@1", "tune-b@1"], before.Versions.Select(v => v.Reference).Order(StringComparer.Ordinal));
            Assert.Contains(before.Edges, e => e is { From: "base@1", To: "tune-a@1", Kind: LineageEdgeKind.FineTunedFrom });
            Assert.Contains(before.Edges, e => e is { From: "base@1", To: "tune-a@1", Kind: LineageEdgeKind.Resharded, Detail: "t1·p1·d1 -> t1·p1·d2" });
            Assert.DoesNotContain(before.Edges, e => e is { To: "tune-b@1", Kind: LineageEdgeKind.Resharded });
            AssertEvaluated(before, "tune-a@1", evalA);
            AssertEvaluated(before, "tune-b@1", evalB);
            await first.StopAsync();
        }

        using var second = await DaemonHost.StartAsync(options);
        await using var again = await DaemonHost.ConnectAsync(options);
        var graph = Lineage(again);
        var after = await graph.GetRegistryAsync();
        Assert.Equal(before.Versions.Select(v => (v.Reference, v.Parent, v.Job, v.Step, v.Layout)), after.Versions.Select(v => (v.Reference, v.Parent, v.Job, v.Step, v.Layout)));
        Assert.Equal(before.Edges, after.Edges);
        AssertEvaluated(after, "tune-a@1", evalA);

        await RunAsync(again, Gpt("base", steps: 6));
        var dryRun = await graph.PlanCascadeAsync("base@2");
        Assert.Equal("base@1", dryRun.Previous);
        Assert.Equal(4, dryRun.Steps.Count);
        Assert.All(dryRun.Steps, s => Assert.Equal(("planned", (string?)null), (s.State, s.Job)));
        // Steps by what they replace: the fine-tunes registered in the order they finished, so plan positions vary.
        foreach (var (tune, run) in new[] { ("tune-a@1", evalA), ("tune-b@1", evalB) })
        {
            var evaluate = dryRun.Steps.Single(s => s.Kind == CascadeStepKind.Evaluate && s.Replaces == tune);
            Assert.Equal((run.Id, Step(dryRun, CascadeStepKind.Derive, tune).Index), (evaluate.OriginalJob, evaluate.DependsOn));
        }

        var started = await graph.StartCascadeAsync("base@2");
        var cascade = await UntilSettledAsync(graph, started.Id);
        Assert.All(cascade.Steps, s => Assert.True(s.State == "done", $"step {s.Index} ({s.Kind} {s.Replaces}): {s.State}"));

        // Every job once: each fine-tune's job succeeded on its first attempt and no other training job was submitted.
        var jobs = new Dictionary<int, JobView>();
        foreach (var step in cascade.Steps.Where(s => s.Kind == CascadeStepKind.Derive)) jobs[step.Index] = await again.GetAsync(step.Job!);
        Assert.All(jobs.Values, j => Assert.Equal((JobState.Succeeded, 1), (j.State, j.Attempts.Count)));
        Assert.Equal(2, (await again.ListAsync()).Count(j => j.Id.Contains("-cascade", StringComparison.Ordinal)));
        var registry = await graph.GetRegistryAsync();
        foreach (var (tune, replacement) in new[] { ("tune-a@1", "tune-a@2"), ("tune-b@1", "tune-b@2") })
        {
            var derive = jobs[Step(cascade, CascadeStepKind.Derive, tune).Index];
            var evaluate = Step(cascade, CascadeStepKind.Evaluate, tune);
            var run = await again.GetEvaluationAsync(evaluate.Job!);
            // Once: the new fine-tune has this one run, each shard in one attempt; after its dependency: submitted only
            // once the new fine-tune had committed its finished model; pointing at the new version.
            Assert.Equal([run.Id], (await again.GetEvaluationsOfJobAsync(derive.Id)).Select(r => r.Id));
            Assert.All(run.Shards, s => Assert.Equal((ShardState.Succeeded, 1), (s.State, s.Attempts)));
            Assert.True(run.SubmittedAt >= derive.Checkpoints!.Last().CommittedAt, $"{run.Id} was submitted before {derive.Id} finished");
            Assert.Equal((replacement, derive.Id, replacement), (run.Model!.Version, run.Model.CheckpointJobId, evaluate.Produced));
            var version = registry.Versions.Single(v => v.Reference == replacement);
            Assert.Equal(("base@2", derive.Id), (version.Parent, version.Job));
            AssertEvaluated(registry, replacement, run);
        }

        Assert.DoesNotContain(registry.Versions, v => v.Name.StartsWith("eval", StringComparison.Ordinal));
        var diff = await graph.DiffAsync("base@1", "base@2");
        Assert.Contains(diff.Tensors, t => t.Kind == TensorDifferenceKind.Changed && t.RelativeL2 > 0);

        // GC keeps every version readable.
        var collected = await graph.CollectGarbageAsync();
        Assert.Equal(6, collected.VersionsKept);
        Assert.All((await graph.GetRegistryAsync()).Versions, v => Assert.Null(v.Problem));
        await second.StopAsync();
    }

    /// <summary>The run is an "evaluated by" edge of the version, and its main score is the version's latest score.</summary>
    private static void AssertEvaluated(ModelRegistryView registry, string version, EvaluationRunView run)
    {
        Assert.Equal(JobState.Succeeded, run.State);
        var score = run.Scores.Single(s => s is { Scenario: "arithmetic", Metric: "exact_match", Perturbation: null, Split: "test" }).Mean;
        var edge = Assert.Single(registry.Edges, e => e.Kind == LineageEdgeKind.EvaluatedBy && e.Job == run.Id);
        Assert.Equal(version, edge.From);
        Assert.StartsWith("arithmetic:exact_match=", edge.Detail, StringComparison.Ordinal);
        Assert.Equal(score, registry.Versions.Single(v => v.Reference == version).Scores["arithmetic:exact_match"]);
    }

    private static CascadeStep Step(CascadePlan plan, CascadeStepKind kind, string replaces) => plan.Steps.Single(s => s.Kind == kind && s.Replaces == replaces);

    private static ILineageGrain Lineage(OrchestratorClient client) => client.Grains.GetGrain<ILineageGrain>("default");

    /// <summary>A tiny GPT of the byte vocabulary, so the built-in client can evaluate it.</summary>
    private static TrainingJobSpec Gpt(string name, int steps = 20, int gpus = 1) => TestJobs.Tiny(name, steps, gpus) with { Model = TestEvaluations.ByteGpt };

    private static TrainingJobSpec From(TrainingJobSpec spec, string version) => spec with { Model = spec.Model with { From = version } };

    private static async Task<string> RunAsync(OrchestratorClient client, TrainingJobSpec spec)
    {
        var id = (await client.SubmitAsync(spec)).Id;
        await JobWaits.UntilStateAsync(client.Grains, id, JobState.Succeeded, Patience);
        return id;
    }

    private static async Task<EvaluationRunView> EvaluateAsync(OrchestratorClient client, EvaluationJobSpec spec)
    {
        var run = await client.SubmitEvaluationAsync(spec);
        var done = await EvaluationWaits.UntilFinishedAsync(client.Grains, run.Id, Patience);
        Assert.True(done.State == JobState.Succeeded, done.Message);
        return done;
    }

    private static async Task<CascadePlan> UntilSettledAsync(ILineageGrain lineage, int id)
    {
        var deadline = DateTime.UtcNow + Patience;
        CascadePlan plan;
        do
        {
            await Task.Delay(300);
            plan = await lineage.GetCascadeAsync(id);
        }
        while (DateTime.UtcNow < deadline && plan.Steps.Any(s => s.State is "planned" or "waiting" or "submitted"));
        return plan;
    }
}
