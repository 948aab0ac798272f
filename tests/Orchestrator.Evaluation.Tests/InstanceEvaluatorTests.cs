using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>From adapted requests and fake model answers to per-instance and run stats.</summary>
public sealed class InstanceEvaluatorTests
{
    private static readonly WhitespaceTokenizer Tokenizer = new();

    /// <summary>A deterministic stand-in model: echoes the prompt's tokens, each with log-probability <paramref name="perToken"/>.</summary>
    private static RequestResult Echo(ModelRequest request, Func<string, double> perToken)
    {
        var tokens = Tokenizer.Encode(request.Prompt).Select(t => new ScoredToken(t, perToken(t))).ToList();
        return new RequestResult([new Completion(request.Prompt, tokens.Sum(t => t.LogProbability), tokens)], RequestTime: 0.5);
    }

    [Fact]
    public void GenerationScoresTheMostLikelyCompletionButLanguageModelsTheFirst()
    {
        var scenario = new Scenario("arith", [Fixtures.Question("q1", "1+1?", Splits.Test, ("2", true), ("3", false))]);
        var spec = new AdapterSpec { MaxTrainInstances = 0, NumOutputs = 2 };
        var state = Assert.Single(Adapter.Adapt(scenario, spec));
        var result = new RequestResult(
        [
            new Completion(" 3", -0.7, [new(" 3", -0.7)]),
            new Completion(" 2", -0.05, [new(" 2", -0.05)]),
        ]);

        var stats = new InstanceEvaluator(spec, Tokenizer, ["exact_match", "quasi_exact_match"]).Evaluate([(state, result)])
            .Stats.ToDictionary(s => s.Name.Name, s => s.Mean!.Value);

        // best completion " 2" (log-prob -0.05): exact match 1, max_prob e^-0.05
        Assert.Equal(1, stats["exact_match"]);
        Assert.Equal(1, stats["exact_match@2"]);
        Assert.Equal(Math.Exp(-0.05), stats["max_prob"], 12);

        // HELM's language-modelling stats come from completions[0]: " 3" at -0.7, 2 bytes
        Assert.Equal(-0.7, stats["logprob"]);
        Assert.Equal(2, stats["num_bytes"]);
        Assert.Equal((2, 1, 0), ((int)stats["num_references"], (int)stats["num_train_trials"], (int)stats["num_train_instances"]));
    }

    [Fact]
    public void RefusesRequestsOfDifferentInstances()
    {
        var scenario = new Scenario("two", [Fixtures.Question("a", "x", Splits.Test, ("1", true)), Fixtures.Question("b", "y", Splits.Test, ("1", true))]);
        var spec = new AdapterSpec { MaxTrainInstances = 0 };
        var answered = Adapter.Adapt(scenario, spec).Select(s => (s, new RequestResult([new Completion("1")]))).ToList();
        Assert.Throws<ArgumentException>(() => new InstanceEvaluator(spec, Tokenizer, ["exact_match"]).Evaluate(answered));
    }

    [Fact]
    public void SeparateMultipleChoiceScoresReferencesFromEchoedTokens()
    {
        var scenario = new Scenario("capitals",
            [Fixtures.Question("q1", "Capital of France?", Splits.Test, ("London", false), ("Paris", true), ("Rome", false))]);
        var spec = new AdapterSpec
        {
            Method = AdapterMethod.MultipleChoiceSeparateOriginal, InputPrefix = "", InputSuffix = " ", OutputPrefix = "",
            OutputSuffix = "", MaxTrainInstances = 0,
        };
        var logprobs = new Dictionary<string, double> { ["London"] = -2, ["Paris"] = -0.5, ["Rome"] = -3 };
        var answered = Adapter.Adapt(scenario, spec).Select(s => (s, Echo(s.Request, t => logprobs.GetValueOrDefault(t, -7)))).ToList();

        var stats = new InstanceEvaluator(spec, Tokenizer, []).Evaluate(answered).Stats.ToDictionary(s => s.Name.Name);

        // each reference is one token after its space: scores -2, -0.5, -3 -> Paris (correct) wins
        Assert.Equal(1, stats["exact_match"].Mean);
        Assert.Equal(1, stats["predicted_index"].Mean);
        Assert.Equal(1 / (Math.Exp(-1.5) + 1 + Math.Exp(-2.5)), stats["max_prob"].Mean!.Value, 12);
        Assert.Equal(new MetricName("exact_match", Splits.Test), stats["exact_match"].Name);
    }

    [Fact]
    public void LanguageModelingSumsEveryWindowAndEfficiencyUsesTheProfiles()
    {
        var document = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"w{i}"));
        var scenario = new Scenario("lm", [new Instance("d1", document, [], Splits.Test)]);
        var spec = new AdapterSpec { Method = AdapterMethod.LanguageModeling, MaxTokens = 0, Model = "test/model" };
        var window = new ContextWindow(Tokenizer, 4, 5, "<eot>");
        var profiles = RuntimeProfiles.Parse("""{"test/model": {"runtime_per_output_token": 1, "runtime_for_prompt_tokens": {"10": 0.5}}}""");
        var evaluator = new InstanceEvaluator(spec, Tokenizer, [], new EfficiencyMetrics(profiles, profiles));

        var answered = Adapter.Adapt(scenario, spec, window).Select(s => (s, Echo(s.Request, _ => -1))).ToList();
        var instance = evaluator.Evaluate(answered);
        var run = RunAggregator.Aggregate([instance]).Where(s => s.Name.Perturbation is null).ToDictionary(s => s.Name.Name, s => s.Mean!.Value);

        // windows predict 4 + 4 + 2 = 10 tokens at -1 each; bytes 9 x "wN" (2) + "w10" (3) = 21
        Assert.Equal(-10, instance.Find("logprob")!.Sum);
        Assert.Equal(3, instance.Find("logprob")!.Count);
        Assert.Equal(Math.E, run["perplexity"], 12);
        Assert.Equal(10.0 / 21 / Math.Log(2), run["bits_per_byte"], 12);

        // each window: 5 prompt tokens echoed, 0 new -> 0.5 * 5/10 = 0.25 s idealized; mean over windows 0.25
        Assert.Equal(0.25, run["inference_idealized_runtime"], 12);
    }

    [Fact]
    public void GenerationResultsAreBitwiseTheSameForOneThreeAndEightShards()
    {
        var instances = Enumerable.Range(1, 24)
            .Select(n => Fixtures.Question($"q{n:D2}", $"{n}+{n}?", Splits.Test, ($"{2 * n}", true)))
            .Prepend(Fixtures.Question("t1", "2+2?", Splits.Train, ("4", true)))
            .ToList();
        var spec = new AdapterSpec { MaxTrainInstances = 1, NumOutputs = 2, Temperature = 0, MaxTokens = 3 };
        var evaluator = new InstanceEvaluator(spec, Tokenizer, ["exact_match", "f1_score", "rouge_l"]);

        // a fake model: right for even n in the best completion; the second completion is always "0"
        RequestResult Answer(RequestState state)
        {
            var n = int.Parse(state.Instance.Id[1..]);
            var best = n % 2 == 0 ? $" {2 * n}" : " 7";
            return new RequestResult([new Completion(" 0", -5.0 / n), new Completion(best, -1.0 / (n + 2), [new(best, -1.0 / (n + 2))])]);
        }

        IReadOnlyList<PerInstanceStats> RunShards(int shards)
        {
            var scenario = new Scenario("arith", instances);
            var evaluated = scenario.EvaluationInstances;
            var perShard = evaluated.Count / shards + 1;
            return Enumerable.Range(0, shards)
                .Select(shard => new Scenario("arith", scenario.InSplit(Splits.Train).Concat(evaluated.Skip(shard * perShard).Take(perShard)).ToList()))
                .Reverse()
                .SelectMany(shard => Adapter.Adapt(shard, spec).Select(s => evaluator.Evaluate([(s, Answer(s))])))
                .ToList();
        }

        var one = RunAggregator.Canonical(RunShards(1));
        foreach (var shards in new[] { 3, 8 })
        {
            var many = RunAggregator.Canonical(RunShards(shards));
            Assert.Equal(one.Select(p => p.Stats), many.Select(p => p.Stats));
            Assert.Equal(RunAggregator.Aggregate(one), RunAggregator.Aggregate(many));
        }

        // half the instances are right on the first prediction; @2 adds nothing as "0" is never right
        var run = RunAggregator.Aggregate(one).Where(s => s.Name.Perturbation is null).ToDictionary(s => s.Name.Name, s => s.Mean!.Value);
        Assert.Equal(0.5, run["exact_match"]);
        Assert.Equal(0.5, run["exact_match@2"]);
        Assert.Equal(24, run["num_instances"]);
    }
}
