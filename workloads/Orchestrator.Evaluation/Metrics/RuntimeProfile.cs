namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// One model's entry of a HELM runtime-profile file (<c>inference_idealized_runtimes.json</c> or
/// <c>inference_denoised_runtimes.json</c>): seconds per output token, seconds to encode prompts of sampled sizes, and
/// for denoised profiles a fixed overhead.
/// </summary>
/// <param name="RuntimePerOutputToken">Seconds to generate one output token.</param>
/// <param name="RuntimeForPromptTokens">Prompt size (tokens) to seconds to encode it; at least one entry.</param>
/// <param name="Overhead">Fixed per-request seconds, present in denoised profiles.</param>
public sealed record RuntimeProfile(
    double RuntimePerOutputToken, IReadOnlyDictionary<int, double> RuntimeForPromptTokens, double? Overhead)
{
    /// <summary>
    /// HELM's <c>_compute_estimated_time_from_prompt_size_and_num_output_tokens</c> (metrics/efficiency_metrics.py):
    /// the prompt costs <c>runtime[k] * prompt/k</c> for the smallest profiled size <c>k &gt;= prompt</c> (or the largest
    /// size, scaled linearly, when the prompt is longer than all); output costs
    /// <c>runtime_per_output_token * (output - 1)</c> when <c>output &gt; 0</c>; plus the overhead when present.
    /// </summary>
    public double EstimateSeconds(int promptTokens, int outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        var sizes = RuntimeForPromptTokens.Keys.Order().ToList();
        var key = sizes.FirstOrDefault(size => promptTokens <= size, sizes[^1]);
        var estimate = RuntimeForPromptTokens[key] * ((double)promptTokens / key);
        if (outputTokens > 0)
        {
            estimate += RuntimePerOutputToken * (outputTokens - 1);
        }

        if (Overhead is { } overhead)
        {
            estimate += overhead;
        }

        return estimate;
    }
}
