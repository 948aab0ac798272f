using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Evaluation specs the integration tests share, over the repository's example scenarios (under examples/, a data root of the test daemons).</summary>
internal static class TestEvaluations
{
    /// <summary>The shape of GPT the built-in client can evaluate (a byte vocabulary), small enough to train a step in milliseconds.</summary>
    public static ModelSpec ByteGpt { get; } = new("gpt", 2, 32, 4, 32, 256);

    private static EvaluationAdapterSpec Bare { get; } = new(InputPrefix: "", OutputPrefix: "", MaxTrainInstances: 1);

    private static EvaluationScenarioSpec Arithmetic { get; } =
        new("arithmetic", "file:" + TestJobs.RepositoryFile("examples/eval/arithmetic.jsonl"), Bare with { MaxTokens = 2, StopSequences = ["\n"] });

    /// <summary>examples/eval-tiny.yaml's run (two scenarios, two perturbations) of <paramref name="model"/>.</summary>
    public static EvaluationJobSpec Example(EvaluationModelSpec model) => new(
        new JobMetadata("eval-tiny"),
        model,
        [Arithmetic, new EvaluationScenarioSpec("colours", "file:" + TestJobs.RepositoryFile("examples/eval/colours.jsonl"), Bare with { Method = "multiple_choice_separate_original", MaxTrainInstances = 0 })],
        [new PerturbationSpec("typos", 0.1), new PerturbationSpec("lowercase")],
        ["exact_match", "quasi_exact_match"],
        null,
        new ResourcesSpec(1, "cpu"));

    /// <summary>A run of a few arithmetic instances in one shard: seconds on one CPU device.</summary>
    public static EvaluationJobSpec Small(string name, EvaluationModelSpec model) =>
        new(new JobMetadata(name), model, [Arithmetic], [], ["exact_match"], 1, new ResourcesSpec(1, "cpu"), MaxInstances: 4);
}
