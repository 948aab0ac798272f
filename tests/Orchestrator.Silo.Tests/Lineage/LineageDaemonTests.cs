using Orchestrator.Checkpoints;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Lineage;

/// <summary>
/// A three-level family trained by real workers on the embedded daemon: base -> two fine-tunes (one under another
/// layout) -> an evaluation of each. Evaluation runs are not on this branch: each evaluation is modelled by a short
/// training job started from the version it evaluates, which announces itself with <c>RecordEvaluationAsync</c> as an
/// evaluation run will; its final loss becomes its score.
/// </summary>
public sealed class LineageDaemonTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_graph_survives_a_restart_and_a_cascade_re_derives_the_family_once_in_dependency_order_from_the_new_base()
    {
        var data = TestJobs.TemporaryDirectory("lineage");
        var options = DaemonHost.Options(data);
        ModelRegistryView before;
        string evalA, evalB;
        using (var first = await DaemonHost.StartAsync(options))
        {
            await using var client = await DaemonHost.ConnectAsync(options);
            var lineage = Lineage(client);
            await RunAsync(client, TestJobs.Tiny("base", steps: 4));
            // tune-a runs data-parallel over both devices: the base (saved under d1) is resharded into d2.
            await Task.WhenAll(RunAsync(client, From(TestJobs.Tiny("tune-a", steps: 3, gpus: 2), "base@1")), RunAsync(client, From(TestJobs.Tiny("tune-b", steps: 3), "base@latest")));
            (evalA, evalB) = await EvaluateBothAsync(client, "tune-a@1", "tune-b@1");

            var refused = await Assert.ThrowsAsync<JobSpecException>(() => client.SubmitAsync(From(TestJobs.Tiny("orphan"), "nothing@1")));
            Assert.Contains(refused.Errors, e => e.Path == "spec.model.from" && e.Message.Contains("no model named 'nothing'", StringComparison.Ordinal));

            before = await lineage.GetRegistryAsync();
            // The two fine-tunes run side by side and register in the order they finish.
            Assert.Equal(["base@1", "tune-a@1", "tune-b@1"], before.Versions.Select(v => v.Reference).Order(StringComparer.Ordinal));
            Assert.Contains(before.Edges, e => e is { From: "base@1", To: "tune-a@1", Kind: LineageEdgeKind.FineTunedFrom });
            Assert.Contains(before.Edges, e => e is { From: "base@1", To: "tune-a@1", Kind: LineageEdgeKind.Resharded, Detail: "t1·p1·d1 -> t1·p1·d2" });
            Assert.DoesNotContain(before.Edges, e => e is { To: "tune-b@1", Kind: LineageEdgeKind.Resharded });
            Assert.Contains(before.Edges, e => e.From == "tune-a@1" && e.Kind == LineageEdgeKind.EvaluatedBy && e.Job == evalA);
            Assert.Equal(0.5, before.Versions.Single(v => v.Reference == "tune-a@1").Scores["accuracy"]);
            await first.StopAsync();
        }

        using var second = await DaemonHost.StartAsync(options);
        await using var again = await DaemonHost.ConnectAsync(options);
        var graph = Lineage(again);
        var after = await graph.GetRegistryAsync();
        Assert.Equal(before.Versions.Select(v => (v.Reference, v.Parent, v.Job, v.Step, v.Layout)), after.Versions.Select(v => (v.Reference, v.Parent, v.Job, v.Step, v.Layout)));
        Assert.Equal(before.Edges, after.Edges);

        await RunAsync(again, TestJobs.Tiny("base", steps: 6));
        var dryRun = await graph.PlanCascadeAsync("base@2");
        Assert.Equal("base@1", dryRun.Previous);
        Assert.Equal(4, dryRun.Steps.Count);
        Assert.All(dryRun.Steps, s => Assert.Null(s.Job));

        var started = await graph.StartCascadeAsync("base@2");
        var cascade = await UntilSettledAsync(graph, started.Id);
        Assert.All(cascade.Steps, s => Assert.Equal("done", s.State));

        // Every job once: one job per step, each succeeded on its first attempt, none other submitted by the cascade.
        var jobs = new Dictionary<int, JobView>();
        foreach (var step in cascade.Steps) jobs[step.Index] = await again.GetAsync(step.Job!);
        Assert.All(jobs.Values, j => Assert.Equal((JobState.Succeeded, 1), (j.State, j.Attempts.Count)));
        Assert.Equal(4, (await again.ListAsync()).Count(j => j.Id.Contains("-cascade", StringComparison.Ordinal)));
        // In dependency order: a step was submitted only after the job it depends on committed its finished model.
        foreach (var step in cascade.Steps.Where(s => s.DependsOn is not null))
        {
            Assert.True(jobs[step.Index].SubmittedAt >= jobs[step.DependsOn!.Value].Checkpoints!.Last().CommittedAt, $"step {step.Index} started before step {step.DependsOn} finished");
        }

        // The results point at the new versions.
        var registry = await graph.GetRegistryAsync();
        var byReference = registry.Versions.ToDictionary(v => v.Reference);
        // Steps by what they re-derive: the two fine-tunes registered in the order they finished, so the plan's order varies.
        string JobOf(CascadeStepKind kind, string replaces) => cascade.Steps.Single(s => s.Kind == kind && s.Replaces == replaces).Job!;
        Assert.Equal(("base@2", JobOf(CascadeStepKind.Derive, "tune-a@1")), (byReference["tune-a@2"].Parent, byReference["tune-a@2"].Job));
        Assert.Equal(("base@2", JobOf(CascadeStepKind.Derive, "tune-b@1")), (byReference["tune-b@2"].Parent, byReference["tune-b@2"].Job));
        Assert.Contains(registry.Edges, e => e.From == "tune-a@2" && e.Kind == LineageEdgeKind.EvaluatedBy && e.Job == JobOf(CascadeStepKind.Evaluate, "tune-a@1"));
        Assert.Contains(registry.Edges, e => e.From == "tune-b@2" && e.Kind == LineageEdgeKind.EvaluatedBy && e.Job == JobOf(CascadeStepKind.Evaluate, "tune-b@1"));
        Assert.True(byReference["tune-a@2"].Scores.ContainsKey("final_loss"));
        Assert.DoesNotContain(registry.Versions, v => v.Name.StartsWith("eval", StringComparison.Ordinal));

        var diff = await graph.DiffAsync("base@1", "base@2");
        Assert.Contains(diff.Tensors, t => t.Kind == TensorDifferenceKind.Changed && t.RelativeL2 > 0);

        // GC frees the evaluations' checkpoints (not versions) and keeps every version readable.
        var collected = await graph.CollectGarbageAsync();
        Assert.Equal(6, collected.VersionsKept);
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(data, "checkpoints") });
        Assert.Empty(store.List(evalA));
        Assert.Empty(store.List(evalB));
        Assert.All((await graph.GetRegistryAsync()).Versions, v => Assert.Null(v.Problem));
        await second.StopAsync();
    }

    private static ILineageGrain Lineage(OrchestratorClient client) => client.Grains.GetGrain<ILineageGrain>("default");

    private static TrainingJobSpec From(TrainingJobSpec spec, string version) => spec with { Model = spec.Model with { From = version } };

    private static async Task<string> RunAsync(OrchestratorClient client, TrainingJobSpec spec)
    {
        var id = (await client.SubmitAsync(spec)).Id;
        await JobWaits.UntilStateAsync(client.Grains, id, JobState.Succeeded, Patience);
        return id;
    }

    private static async Task<(string, string)> EvaluateBothAsync(OrchestratorClient client, string first, string second)
    {
        var a = (await client.SubmitAsync(From(TestJobs.Tiny("eval-a", steps: 2), first))).Id;
        var b = (await client.SubmitAsync(From(TestJobs.Tiny("eval-b", steps: 2), second))).Id;
        await Lineage(client).RecordEvaluationAsync(first, a, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        await Lineage(client).RecordEvaluationAsync(second, b, new Dictionary<string, double> { ["accuracy"] = 0.25 });
        await JobWaits.UntilStateAsync(client.Grains, a, JobState.Succeeded, Patience);
        await JobWaits.UntilStateAsync(client.Grains, b, JobState.Succeeded, Patience);
        return (a, b);
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
