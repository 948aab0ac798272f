using System.Text.Json;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Evaluation.Runs;

namespace Orchestrator.Evaluation.Tests.Runs;

/// <summary>Two small scenarios written to a temporary folder, and a spec that evaluates them with perturbations.</summary>
internal static class RunFixtures
{
    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "orch-eval-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static EvaluationJobSpec Spec(string directory, int testInstances = 13)
    {
        var qa = Path.Combine(directory, "qa.jsonl");
        var mc = Path.Combine(directory, "mc.jsonl");
        File.WriteAllLines(qa, Enumerable.Range(0, 4).Select(i => Line($"t{i}", $"What is {i} plus {i}?", "train", [($"{2 * i}", true)]))
            .Concat(Enumerable.Range(0, testInstances).Select(i => Line($"q{i}", $"What colour is the sky number {i}? She is here.", "test", [("blue", true), ("Paris", false)]))));
        File.WriteAllLines(mc, Enumerable.Range(0, 3).Select(i => Line($"m{i}", $"Pick a letter {i}", "train", [("yes", i % 2 == 0), ("no", i % 2 == 1)]))
            .Concat(Enumerable.Range(0, testInstances).Select(i => Line($"x{i}", $"Is {i} even?", "valid", [("yes", i % 2 == 0), ("no", i % 2 == 1)]))));
        return new EvaluationJobSpec(
            new JobMetadata("eval-test"),
            new EvaluationModelSpec(null, new EndpointModelSpec("http://127.0.0.1:1/v1", "fake")),
            [
                new EvaluationScenarioSpec("qa", "file:" + qa, new EvaluationAdapterSpec(MaxTrainInstances: 2, NumOutputs: 2, MaxTokens: 4)),
                new EvaluationScenarioSpec("mc", "file:" + mc, new EvaluationAdapterSpec("multiple_choice_separate_calibrated", MaxTrainInstances: 2)),
            ],
            [new PerturbationSpec("typos", 0.2), new PerturbationSpec("contraction")],
            ["exact_match", "f1_score"],
            null,
            new ResourcesSpec(1));
    }

    /// <summary>Runs every shard of a cut into <paramref name="results"/>; returns the model requests sent.</summary>
    public static async Task<int> RunShardsAsync(EvaluationJobSpec spec, RunInstances run, string results, int shards)
    {
        var model = new FakeModel();
        foreach (var (shard, (start, end)) in ShardRanges.Split(run.Units.Count, shards).Index())
        {
            using var file = ShardResultsFile.Open(ShardResultsFile.PathOf(results, shard));
            await new ShardEvaluator(spec, run, model).RunAsync(start, end, file, _ => Task.CompletedTask, CancellationToken.None);
        }

        return model.Answered;
    }

    private static string Line(string id, string input, string split, (string Output, bool Correct)[] references) =>
        JsonSerializer.Serialize(new
        {
            id,
            input,
            split,
            references = references.Select(r => new { output = r.Output, tags = r.Correct ? new[] { "correct" } : [] }),
        });
}
