using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>One line of a request cache file: the full key (kept to rule out hash collisions) and the answer.</summary>
internal sealed record CacheEntry(string Key, string ModelId, ModelRequest Request, CachedResult Result);

/// <summary>A <see cref="RequestResult"/> as stored (plain records with one constructor each, for the serializer).</summary>
internal sealed record CachedResult(
    IReadOnlyList<CachedCompletion> Completions, double? RequestTime, double? BatchRequestTime, int? BatchSize)
{
    public static CachedResult From(RequestResult result) => new(
        [.. result.Completions.Select(c => new CachedCompletion(c.Text, c.LogProbability, c.Tokens))],
        result.RequestTime, result.BatchRequestTime, result.BatchSize);

    public RequestResult ToResult() => new(
        [.. Completions.Select(c => new Completion(c.Text, c.LogProbability, c.Tokens))],
        RequestTime, BatchRequestTime, BatchSize);
}

/// <summary>A stored <see cref="Completion"/>.</summary>
internal sealed record CachedCompletion(string Text, double LogProbability, IReadOnlyList<ScoredToken> Tokens);
