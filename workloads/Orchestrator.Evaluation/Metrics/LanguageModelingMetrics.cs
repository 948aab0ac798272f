using System.Text;
using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's language-modelling stats (metrics/basic_metrics.py <c>compute_language_modeling_metrics</c> and
/// <c>compute_perplexity_metrics</c>; used by metrics/language_modeling_metrics.py). Per request: the summed
/// log-probability, token count and UTF-8 byte count of the predicted tokens (those after the conditioning tokens).
/// Per run context: perplexity <c>e^(-Σlogprob/Σtokens)</c>, bits per byte <c>-Σlogprob/Σbytes/ln 2</c>, log-probability
/// per byte, and (ours, HELM reports perplexity instead) log-probability per token <c>Σlogprob/Σtokens</c>.
/// </summary>
public static class LanguageModelingMetrics
{
    /// <summary>The per-request stats <c>logprob</c>, <c>num_perplexity_tokens</c>, <c>num_bytes</c>.</summary>
    /// <param name="tokens">The echoed tokens of the first completion, with log-probabilities.</param>
    /// <param name="conditioningTokens">Leading tokens that condition but are not predicted.</param>
    public static IReadOnlyList<Stat> Compute(IReadOnlyList<ScoredToken> tokens, int conditioningTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(conditioningTokens);

        // HELM drops an empty first token some tokenizers (AI21) insert when the chunk starts with a space.
        var start = conditioningTokens > 0 && tokens.Count > 0 && tokens[0].Text.Length == 0 ? 1 : 0;
        var predicted = tokens.Skip(start + conditioningTokens).ToList();
        return
        [
            Stat.Of(new MetricName("logprob"), predicted.Sum(t => t.LogProbability)),
            Stat.Of(new MetricName("num_perplexity_tokens"), predicted.Count),
            Stat.Of(new MetricName("num_bytes"), predicted.Sum(t => ByteCount(t.Text))),
        ];
    }

    /// <summary>
    /// HELM's <c>get_num_bytes</c> for one token: a byte token <c>bytes:\xe2\x80</c> counts its <c>\x</c> escapes,
    /// any other token its UTF-8 length.
    /// </summary>
    public static int ByteCount(string token) =>
        token.StartsWith("bytes:", StringComparison.Ordinal)
            ? CountOccurrences(token, "\\x")
            : Encoding.UTF8.GetByteCount(token);

    /// <summary>Derived stats of one context from its merged stats (empty when there is no <c>logprob</c>).</summary>
    public static IReadOnlyList<Stat> Derive(IReadOnlyDictionary<string, Stat> merged)
    {
        if (!merged.TryGetValue("logprob", out var logprob))
        {
            return [];
        }

        var derived = new List<Stat>();
        if (merged.TryGetValue("num_perplexity_tokens", out var tokens) && tokens.Sum > 0)
        {
            derived.Add(Stat.Of(new MetricName("perplexity"), Math.Pow(Math.E, -logprob.Sum / tokens.Sum)));
            derived.Add(Stat.Of(new MetricName("logprob_per_token"), logprob.Sum / tokens.Sum));
        }

        if (merged.TryGetValue("num_bytes", out var bytes) && bytes.Sum > 0)
        {
            derived.Add(Stat.Of(new MetricName("bits_per_byte"), -logprob.Sum / bytes.Sum / Math.Log(2)));
            derived.Add(Stat.Of(new MetricName("logprob_per_byte"), logprob.Sum / bytes.Sum));
        }

        return derived;
    }

    private static int CountOccurrences(string text, string pattern)
    {
        var count = 0;
        for (var at = text.IndexOf(pattern, StringComparison.Ordinal); at >= 0; at = text.IndexOf(pattern, at + pattern.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
