using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's inference efficiency stats (metrics/efficiency_metrics.py, <c>compute_efficiency_metrics</c>):
/// <c>num_prompt_tokens</c>, <c>num_completion_tokens</c>, <c>num_output_tokens</c>, <c>inference_runtime</c>,
/// <c>batch_size</c>, <c>inference_denoised_runtime</c> and <c>inference_idealized_runtime</c>. The training CO2 and
/// energy stats need HELM's training_efficiency.json, which has no entry for our models: they are not computed.
/// </summary>
/// <param name="idealizedProfiles">Idealized-runtime profiles.</param>
/// <param name="denoisedProfiles">Denoised-runtime profiles.</param>
public sealed class EfficiencyMetrics(RuntimeProfiles idealizedProfiles, RuntimeProfiles denoisedProfiles)
{
    /// <summary>The stats of one request; names carry no context (the caller adds the instance's).</summary>
    public IReadOnlyList<Stat> Compute(EfficiencyInput input)
    {
        double? runtime = null;
        int? batchSize = null;
        if (input.RequestTime is { } requestTime)
        {
            runtime = requestTime;
            batchSize = 1;
        }

        // Offline batch inference: the effective runtime is the batch's, and the batch size is recorded beside it.
        if (input.BatchRequestTime is { } batchTime && input.BatchSize is { } size)
        {
            runtime = batchTime;
            batchSize = size;
        }

        var completionTokens = input.CompletionTokenCounts.Sum();
        var outputTokens = completionTokens;
        if (input.EchoPrompt)
        {
            // HELM: the echoed prompt is not output; a tokenizer that does not round-trip can make it longer.
            outputTokens = input.PromptTokens <= outputTokens ? outputTokens - input.PromptTokens : 0;
        }

        var idealized = idealizedProfiles.Find(input.Model)?.EstimateSeconds(input.PromptTokens, outputTokens);
        var denoised = denoisedProfiles.Find(input.Model)?.EstimateSeconds(input.PromptTokens, outputTokens);
        if (runtime is { } measured && input.BatchSize is { } batch)
        {
            // HELM: for offline models the denoised runtime is the measured one, per input of the batch.
            denoised = measured / batch;
        }

        var stats = new List<Stat>
        {
            Stat.Of(new MetricName("num_prompt_tokens"), input.PromptTokens),
            Stat.Of(new MetricName("num_completion_tokens"), completionTokens),
            Stat.Of(new MetricName("num_output_tokens"), outputTokens),
        };
        AddIfPresent(stats, "inference_runtime", runtime);
        AddIfPresent(stats, "batch_size", batchSize);
        AddIfPresent(stats, "inference_denoised_runtime", denoised);
        AddIfPresent(stats, "inference_idealized_runtime", idealized);
        return stats;
    }

    private static void AddIfPresent(List<Stat> stats, string name, double? value)
    {
        if (value is { } v)
        {
            stats.Add(Stat.Of(new MetricName(name), v));
        }
    }
}
