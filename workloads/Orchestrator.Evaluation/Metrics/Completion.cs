namespace Orchestrator.Evaluation.Metrics;

/// <summary>One generated sequence of a model response: text, total log-probability and its tokens.</summary>
/// <param name="Text">Generated text (including the prompt when the request echoed it).</param>
/// <param name="LogProbability">Sum of the token log-probabilities.</param>
/// <param name="Tokens">The tokens with their log-probabilities; empty when the model gives none.</param>
public sealed record Completion(string Text, double LogProbability, IReadOnlyList<ScoredToken> Tokens)
{
    /// <summary>A completion without token detail.</summary>
    public Completion(string text, double logProbability = 0) : this(text, logProbability, [])
    {
    }
}
