namespace Orchestrator.Contracts.Evaluation;

/// <summary>One scenario of a run.</summary>
/// <param name="Name">The name stats and result folders carry (defaults to the source's file name or built-in name).</param>
/// <param name="Source">A built-in scenario name or <c>file:PATH.jsonl</c> (an absolute path once the SDK has read it).</param>
/// <param name="Adapter">How its prompts are built (the job's <c>adapter</c>, with this scenario's overrides).</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationScenarioSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Source,
    [property: Id(2)] EvaluationAdapterSpec Adapter)
{
    /// <summary>The prefix of a scenario read from a JSONL file.</summary>
    public const string FilePrefix = "file:";
}
