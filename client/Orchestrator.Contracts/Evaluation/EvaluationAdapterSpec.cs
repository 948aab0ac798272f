namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// HELM's adapter fields (defaults as HELM's). In-context examples are drawn per train trial with the trial index as
/// the seed, as HELM does, so every shard and every re-run picks the same ones.
/// </summary>
/// <param name="Method"><c>generation</c>, <c>multiple_choice_joint</c>, <c>multiple_choice_separate_original</c>,
/// <c>multiple_choice_separate_calibrated</c> or <c>language_modeling</c>.</param>
/// <param name="Instructions">Text put before the examples.</param>
/// <param name="InputPrefix">Before each input.</param>
/// <param name="OutputPrefix">Before each output.</param>
/// <param name="MaxTrainInstances">In-context examples per prompt.</param>
/// <param name="NumTrainTrials">Trials, each with its own examples.</param>
/// <param name="NumOutputs">Completions per request.</param>
/// <param name="MaxTokens">Tokens to generate.</param>
/// <param name="Temperature">Sampling temperature (0: greedy).</param>
/// <param name="StopSequences">Generation stops at any of these.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationAdapterSpec(
    [property: Id(0)] string Method = "generation",
    [property: Id(1)] string Instructions = "",
    [property: Id(2)] string InputPrefix = "Input: ",
    [property: Id(3)] string OutputPrefix = "Output: ",
    [property: Id(4)] int MaxTrainInstances = 5,
    [property: Id(5)] int NumTrainTrials = 1,
    [property: Id(6)] int NumOutputs = 1,
    [property: Id(7)] int MaxTokens = 100,
    [property: Id(8)] double Temperature = 0,
    [property: Id(9)] IReadOnlyList<string>? StopSequences = null)
{
    /// <summary>The adapter methods a spec may name.</summary>
    public static IReadOnlyList<string> Methods { get; } =
    [
        "generation", "multiple_choice_joint", "multiple_choice_separate_original", "multiple_choice_separate_calibrated",
        "language_modeling",
    ];
}
