namespace Orchestrator.Evaluation.Metrics;

/// <summary>What a model returned for one request (HELM's <c>RequestResult</c>, the fields metrics read).</summary>
/// <param name="Completions">The completions; for echoed requests their tokens include the prompt's.</param>
/// <param name="RequestTime">Measured seconds of the request.</param>
/// <param name="BatchRequestTime">Measured seconds of its batch, for offline batch inference.</param>
/// <param name="BatchSize">Requests in that batch.</param>
public sealed record RequestResult(
    IReadOnlyList<Completion> Completions, double? RequestTime = null, double? BatchRequestTime = null, int? BatchSize = null);
