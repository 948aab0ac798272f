using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Runs;

namespace Orchestrator.Evaluation.Tests.Runs;

/// <summary>Cutting a run into 1, 3 or 8 shards gives bitwise the same per-instance results and run stats.</summary>
public sealed class ShardInvarianceTests
{
    [Fact]
    public async Task Per_instance_results_and_stats_files_are_identical_for_1_3_and_8_shards()
    {
        var directory = RunFixtures.TemporaryDirectory();
        var spec = RunFixtures.Spec(directory);
        var run = RunInstances.Load(spec, builtin: null);
        Assert.Equal(26, run.Units.Count);

        var outputs = new List<(string PerInstance, string Stats)>();
        foreach (var shards in new[] { 1, 3, 8 })
        {
            var results = Path.Combine(directory, $"run-{shards}");
            await RunFixtures.RunShardsAsync(spec, run, results, shards);
            var scores = RunResults.Write(spec, "fake:hash", results, shards, run.Units.Count);
            Assert.Contains(scores, s => s.Scenario == "qa" && s.Metric == "exact_match" && s.Perturbation is null);
            Assert.Contains(scores, s => s.Scenario == "mc" && s.Metric == "exact_match" && s.Perturbation == "typos");
            outputs.Add((HelmStatsJson.WritePerInstanceStats(RunResults.PerInstance(results, shards)),
                File.ReadAllText(Path.Combine(results, "qa", "stats.json")) + File.ReadAllText(Path.Combine(results, "mc", "stats.json"))));
        }

        // 26 units, each the original and two perturbed copies.
        Assert.Equal(78, RunResults.PerInstance(Path.Combine(directory, "run-3"), 3).Count);
        Assert.All(outputs, o => Assert.Equal(outputs[0].PerInstance, o.PerInstance));
        Assert.All(outputs, o => Assert.Equal(outputs[0].Stats, o.Stats));
        foreach (var file in new[] { "run_spec.json", "scenario_state.json", "per_instance_stats.json", "stats.json" })
            Assert.True(File.Exists(Path.Combine(directory, "run-8", "qa", file)), file);
    }

    [Fact]
    public void Ranges_cover_every_instance_once_and_differ_in_size_by_at_most_one()
    {
        foreach (var (instances, shards) in new[] { (26, 8), (5, 8), (0, 3), (100, 7) })
        {
            var ranges = ShardRanges.Split(instances, shards);
            Assert.Equal(0, ranges[0].Start);
            Assert.Equal(instances, ranges[^1].End);
            Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
            Assert.True(ranges.Max(r => r.End - r.Start) - ranges.Min(r => r.End - r.Start) <= 1);
        }

        Assert.Equal(1, ShardRanges.Auto(10, 8, 1));
        Assert.Equal(4, ShardRanges.Auto(1000, 8, 2));
    }

    [Fact]
    public async Task A_missing_instance_is_refused_instead_of_aggregated()
    {
        var directory = RunFixtures.TemporaryDirectory();
        var spec = RunFixtures.Spec(directory);
        var run = RunInstances.Load(spec, builtin: null);
        var results = Path.Combine(directory, "partial");
        using (var file = ShardResultsFile.Open(ShardResultsFile.PathOf(results, 0)))
            await new ShardEvaluator(spec, run, new FakeModel()).RunAsync(0, 5, file, _ => Task.CompletedTask, CancellationToken.None);

        var error = Assert.Throws<InvalidDataException>(() => RunResults.Write(spec, "fake:hash", results, 1, run.Units.Count));
        Assert.Contains("21 missing", error.Message);
    }
}
