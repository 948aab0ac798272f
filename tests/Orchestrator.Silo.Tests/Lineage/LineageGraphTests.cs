using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;
using Orchestrator.Silo.Lineage;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Lineage;

/// <summary>Resolving references, edges and cascade plans over a hand-made graph: base@1 -> tune-a@1, tune-b@1 -> evaluation runs; base@1 -> base@2.</summary>
public sealed class LineageGraphTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void References_resolve_by_number_tag_and_latest_and_bad_ones_name_what_exists()
    {
        var graph = new LineageGraph(Family());
        graph.Record.Tags.Add(new TagRecord("base", "prod", 1));

        Assert.Equal("base@1", graph.Resolve("base@1").Reference);
        Assert.Equal("base@1", graph.Resolve("base@prod").Reference);
        Assert.Equal("base@2", graph.Resolve("base@latest").Reference);
        Assert.Contains("has no version 7; it has versions 1, 2", Assert.Throws<ArgumentException>(() => graph.Resolve("base@7")).Message);
        Assert.Contains("no model named 'gone' is registered; known models: base, tune-a, tune-b", Assert.Throws<ArgumentException>(() => graph.Resolve("gone@1")).Message);
        Assert.Contains("has no tag 'staging'; tags: prod", Assert.Throws<ArgumentException>(() => graph.Resolve("base@staging")).Message);
        Assert.StartsWith("spec.model.from: 'base' is not a model version", Assert.Throws<ArgumentException>(() => graph.Resolve("base", "spec.model.from")).Message);
    }

    [Fact]
    public void Edges_say_fine_tuned_or_trained_from_resharded_and_evaluated_by_with_the_job()
    {
        var edges = new LineageGraph(Family()).Edges();

        Assert.Contains(new LineageEdge("base@1", "tune-a@1", LineageEdgeKind.FineTunedFrom, "tune-a-1"), edges);
        Assert.Contains(new LineageEdge("base@1", "tune-a@1", LineageEdgeKind.Resharded, "tune-a-1", "t1·p1·d1 -> t1·p1·d2"), edges);
        Assert.Contains(new LineageEdge("base@1", "tune-b@1", LineageEdgeKind.FineTunedFrom, "tune-b-1"), edges);
        Assert.Contains(new LineageEdge("base@1", "base@2", LineageEdgeKind.TrainedFrom, "base-2"), edges);
        Assert.Contains(new LineageEdge("tune-a@1", "eval-a", LineageEdgeKind.EvaluatedBy, "eval-a", "accuracy=0.5"), edges);
        Assert.DoesNotContain(edges, e => e.Kind == LineageEdgeKind.Resharded && e.To == "tune-b@1");
    }

    [Fact]
    public void A_cascade_re_derives_each_descendant_after_its_parent_and_each_evaluation_after_its_version()
    {
        var graph = new LineageGraph(Family());

        var (previous, steps) = CascadePlanner.Plan(graph, graph.Resolve("base@2"));

        Assert.Equal("base@1", previous.Reference);
        Assert.Equal(
            [(1, CascadeStepKind.Derive, "tune-a@1", "tune-a-1", (int?)null), (2, CascadeStepKind.Derive, "tune-b@1", "tune-b-1", null),
             (3, CascadeStepKind.Evaluate, "base@1", "judged-by-hand", null),
             (4, CascadeStepKind.Evaluate, "tune-a@1", "eval-a", 1), (5, CascadeStepKind.Evaluate, "tune-b@1", "eval-b", 2)],
            steps.Select(s => (s.Index, s.Kind, s.Replaces, s.OriginalJob, s.DependsOn)));
        Assert.All(steps, s => Assert.True(s.DependsOn is null || s.DependsOn < s.Index));
        // Each step re-runs what made the old result: the training job, or the evaluation run's own spec; an
        // evaluation recorded from outside has nothing to re-run.
        Assert.Equal(["tune-a", "tune-b"], steps.Where(s => s.Kind == CascadeStepKind.Derive).Select(s => s.Spec!.Metadata.Name));
        Assert.Equal(["eval-a", "eval-b"], steps.Where(s => s.Kind == CascadeStepKind.Evaluate && s.Rerunnable).Select(s => s.Evaluation!.Metadata.Name));
        Assert.False(steps.Single(s => s.OriginalJob == "judged-by-hand").Rerunnable);
        Assert.Contains("first version of 'base'", Assert.Throws<ArgumentException>(() => CascadePlanner.Plan(graph, graph.Resolve("base@1"))).Message);
    }

    [Fact]
    public void Tree_order_puts_every_version_after_its_parent()
    {
        var order = new LineageGraph(Family()).TreeOrder().Select(v => v.Reference).ToList();

        Assert.Equal(["base@1", "tune-a@1", "tune-b@1", "base@2"], order);
    }

    /// <summary>base@1 (d1) -> tune-a@1 (d2) and tune-b@1 (d1), each evaluated by a run; base@1 scored from outside; base@2 trained on from base@1 (not a descendant to re-derive).</summary>
    internal static LineageRecord Family()
    {
        var record = new LineageRecord();
        record.Versions.Add(Version("base", 1, "base-1", null, null, null, Spec("base", "builtin:synthetic")));
        record.Versions.Add(Version("tune-a", 1, "tune-a-1", "base@1", LineageEdgeKind.FineTunedFrom, "t1·p1·d1", Spec("tune-a", "file:a.txt"), "t1·p1·d2"));
        record.Versions.Add(Version("tune-b", 1, "tune-b-1", "base@1", LineageEdgeKind.FineTunedFrom, "t1·p1·d1", Spec("tune-b", "builtin:synthetic")));
        record.Versions.Add(Version("base", 2, "base-2", "base@1", LineageEdgeKind.TrainedFrom, "t1·p1·d1", Spec("base", "builtin:synthetic")));
        record.Evaluations.Add(new EvaluationRecord("tune-a@1", "eval-a", new Dictionary<string, double> { ["accuracy"] = 0.5 }, Time, Evaluation("eval-a", "tune-a@1")));
        record.Evaluations.Add(new EvaluationRecord("tune-b@1", "eval-b", new Dictionary<string, double> { ["accuracy"] = 0.25 }, Time, Evaluation("eval-b", "tune-b@1")));
        record.Evaluations.Add(new EvaluationRecord("base@1", "judged-by-hand", new Dictionary<string, double> { ["accuracy"] = 0.75 }, Time));
        return record;
    }

    private static ModelVersionRecord Version(string name, int version, string job, string? parent, LineageEdgeKind? edge, string? parentLayout, TrainingJobSpec spec, string layout = "t1·p1·d1") =>
        new(name, version, job, 10, 1, layout, parent, edge, parentLayout, spec, Time);

    private static TrainingJobSpec Spec(string name, string data) => TestJobs.Tiny(name) with { Data = new DataSpec(data) };

    private static EvaluationJobSpec Evaluation(string name, string version) => TestEvaluations.Small(name, new EvaluationModelSpec(null, null, version));
}
