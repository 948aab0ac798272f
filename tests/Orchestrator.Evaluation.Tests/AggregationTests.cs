using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

public sealed class AggregationTests
{
    private static readonly PerturbationDescription Typos = new("typos", Robustness: true);
    private static readonly PerturbationDescription Dialect = new("dialect", Fairness: true);

    private static PerInstanceStats Result(string id, PerturbationDescription? perturbation, int trial, params (string Name, double Value)[] values)
    {
        var instance = new Instance(id, id, [], Splits.Test, Perturbation: perturbation);
        return new PerInstanceStats(instance, trial,
            values.Select(v => Stat.Of(MetricName.InContextOf(v.Name, instance), v.Value)).ToList());
    }

    [Fact]
    public void StatFollowsHelmsDefinitions()
    {
        // 1, 2, 3, 4: mean 2.5, population variance 30/4 - 2.5^2 = 1.25
        var stat = new Stat(new MetricName("x")).Add(1).Add(2).Add(null).Add(3).Add(4);
        Assert.Equal((4, 10.0, 30.0, 1.0, 4.0), (stat.Count, stat.Sum, stat.SumSquared, stat.Min!.Value, stat.Max!.Value));
        Assert.Equal(2.5, stat.Mean);
        Assert.Equal(1.25, stat.Variance);
        Assert.Equal(Math.Sqrt(1.25), stat.Stddev);
        Assert.Equal(new Stat(new MetricName("x")).Add(2.5), stat.TakeMean());
        Assert.Equal(stat, new Stat(new MetricName("x")).Add(1).Add(2).Merge(new Stat(new MetricName("x")).Add(3).Add(4)));
        Assert.Throws<ArgumentException>(() => stat.Merge(new Stat(new MetricName("y")).Add(1)));
    }

    [Fact]
    public void RunStatsAreMeansPerContextAndTrial()
    {
        var stats = RunAggregator.Aggregate(
        [
            Result("q1", null, 0, ("exact_match", 1)), Result("q2", null, 0, ("exact_match", 0)),
            Result("q3", null, 0, ("exact_match", 0)), Result("q1", null, 1, ("exact_match", 1)),
            Result("q2", null, 1, ("exact_match", 1)), Result("q3", null, 1, ("exact_match", 1)),
        ]);

        // trial 0 mean 1/3, trial 1 mean 1: the run stat holds the two trial means, as HELM's take_mean then merge
        var exact = stats.Single(s => s.Name == new MetricName("exact_match", Splits.Test));
        Assert.Equal(2, exact.Count);
        Assert.Equal(1.0 / 3 + 1, exact.Sum, 15);
        Assert.Equal(3, stats.Single(s => s.Name == new MetricName("num_instances", Splits.Test)).Mean);
    }

    [Fact]
    public void WorstCaseTakesTheMinimumOverOriginalAndPerturbations()
    {
        var stats = RunAggregator.Aggregate(
        [
            Result("q1", null, 0, ("exact_match", 1)), Result("q1", Typos, 0, ("exact_match", 0)),
            Result("q1", Dialect, 0, ("exact_match", 1)),
            Result("q2", null, 0, ("exact_match", 1)), Result("q2", Typos, 0, ("exact_match", 1)),
            Result("q2", Dialect, 0, ("exact_match", 0)),
        ]).ToDictionary(s => (s.Name.Name, s.Name.Perturbation?.Name, s.Name.Perturbation?.ComputedOn), s => s.Mean);

        // robustness: q1 min(1, 0) = 0, q2 min(1, 1) = 1 -> 0.5; fairness: q1 1, q2 0 -> 0.5
        Assert.Equal(0.5, stats[("exact_match", "robustness", WorstCaseStats.Worst)]);
        Assert.Equal(0.5, stats[("exact_match", "fairness", WorstCaseStats.Worst)]);

        // per perturbation: typos worst q1 0, q2 1; the originals beside it are both 1
        Assert.Equal(0.5, stats[("exact_match", "typos", WorstCaseStats.Worst)]);
        Assert.Equal(1, stats[("exact_match", "typos", WorstCaseStats.Original)]);

        // the plain per-context means stay: typos-perturbed copies 0 and 1
        Assert.Equal(0.5, stats[("exact_match", "typos", null)]);
        Assert.Equal(1, stats[("exact_match", null, null)]);
    }

    [Fact]
    public void DerivedLanguageModelingAndCalibrationStatsAppearPerContext()
    {
        var stats = RunAggregator.Aggregate(
        [
            Result("a", null, 0, ("logprob", -3), ("num_perplexity_tokens", 2), ("num_bytes", 11), ("max_prob", 0.9), ("exact_match", 1)),
            Result("b", null, 0, ("logprob", -1), ("num_perplexity_tokens", 1), ("num_bytes", 5), ("max_prob", 0.6), ("exact_match", 0)),
        ]).Where(s => s.Name.Perturbation is null).ToDictionary(s => s.Name.Name, s => s.Mean!.Value);

        // perplexity from merged sums e^(4/3); bits per byte 4/16/ln 2; ECE 1-bin |0.75 - 0.5|
        Assert.Equal(Math.Exp(4.0 / 3), stats["perplexity"], 12);
        Assert.Equal(4.0 / 16 / Math.Log(2), stats["bits_per_byte"], 12);
        Assert.Equal(0.25, stats["ece_1_bin"], 12);
    }

    [Fact]
    public void AnyPartitionAndOrderOfShardsGivesBitwiseTheSameRunStats()
    {
        var results = new List<PerInstanceStats>();
        for (var i = 0; i < 60; i++)
        {
            // values whose float sums depend on order, so only a canonical order makes shards agree
            var value = 1.0 / (i + 3) + i * 1e-9;
            results.Add(Result($"q{i:D2}", null, 0, ("f1_score", value), ("logprob", -value * 7), ("num_bytes", i % 5 + 1)));
            results.Add(Result($"q{i:D2}", Typos, 0, ("f1_score", value / 2), ("logprob", -value), ("num_bytes", 2)));
        }

        var whole = RunAggregator.Aggregate(results);
        var random = new Random(17);
        foreach (var shards in new[] { 1, 3, 8 })
        {
            var partition = Enumerable.Range(0, shards).Select(_ => new List<PerInstanceStats>()).ToList();
            foreach (var result in results.OrderBy(_ => random.Next()))
            {
                partition[random.Next(shards)].Add(result);
            }

            var merged = RunAggregator.Aggregate(partition.OrderBy(_ => random.Next()).SelectMany(shard => shard));
            Assert.Equal(whole, merged);
        }
    }

    [Fact]
    public void AnInstanceReportedByTwoShardsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => RunAggregator.Aggregate(
            [Result("q1", null, 0, ("exact_match", 1)), Result("q1", null, 0, ("exact_match", 0))]));
        Assert.Contains("'q1'", error.Message);
    }
}
