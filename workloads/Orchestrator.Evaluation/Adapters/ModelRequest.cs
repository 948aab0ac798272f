namespace Orchestrator.Evaluation.Adapters;

/// <summary>What is sent to a model (HELM's <c>Request</c>, the fields adapters set).</summary>
/// <param name="Model">Model (deployment) name.</param>
/// <param name="Prompt">Prompt text.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="NumCompletions">Completions wanted.</param>
/// <param name="TopKPerToken">Alternatives per token to report (log-probabilities).</param>
/// <param name="MaxTokens">Most tokens to generate (0: score the prompt only).</param>
/// <param name="StopSequences">Generation stops at any of these.</param>
/// <param name="EchoPrompt">Return the prompt's tokens with log-probabilities.</param>
public sealed record ModelRequest(
    string Model,
    string Prompt,
    double Temperature,
    int NumCompletions,
    int TopKPerToken,
    int MaxTokens,
    IReadOnlyList<string> StopSequences,
    bool EchoPrompt)
{
    /// <summary>Value equality over the stop sequences as well (requests are cache keys).</summary>
    public bool Equals(ModelRequest? other) =>
        other is not null && Model == other.Model && Prompt == other.Prompt && Temperature.Equals(other.Temperature) &&
        NumCompletions == other.NumCompletions && TopKPerToken == other.TopKPerToken && MaxTokens == other.MaxTokens &&
        EchoPrompt == other.EchoPrompt && StopSequences.SequenceEqual(other.StopSequences);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Model, Prompt, Temperature, NumCompletions, MaxTokens, EchoPrompt);
}
