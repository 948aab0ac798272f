using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// A model that answers adapted requests: the built-in GPT loaded from a checkpoint, an OpenAI-compatible endpoint, or
/// a cache in front of either. Evaluation shards see models only through this seam.
/// </summary>
public interface IModelClient
{
    /// <summary>
    /// What identifies the model's answers: the request cache keys on it with the request, so two clients with the same
    /// id must give the same answers (e.g. <c>builtin:gpt-tiny@120</c>, <c>openai:http://host/v1#model</c>).
    /// </summary>
    string ModelId { get; }

    /// <summary>The model's tokenizer and context limits, for adapting prompts to it.</summary>
    ContextWindow Window { get; }

    /// <summary>Answers one request (completions with tokens and log-probabilities where the model gives them).</summary>
    Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken);
}
