namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's metric names (and metric groups) with what this library does about each: computed, or reported as not
/// computed with the reason — the metrics that need a model or service we do not have.
/// </summary>
public static class MetricCatalog
{
    private const string NoPerspective =
        "needs Google's Perspective API (a remote classifier and an API key), which evaluation does not call";

    private static readonly MetricAvailability[] Entries =
    [
        .. Computed(
            "exact_match", "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match", "f1_score", "rouge_l", "bleu_4",
            "max_prob", "predicted_index", "ece_10_bin", "ece_1_bin", "selective_acc@10", "selective_cov_acc_area",
            "platt_coef", "platt_intercept", "platt_ece_10_bin", "platt_ece_1_bin",
            "logprob", "num_perplexity_tokens", "num_bytes", "perplexity", "bits_per_byte", "logprob_per_byte", "logprob_per_token",
            "robustness", "fairness", "bias",
            "num_prompt_tokens", "num_completion_tokens", "num_output_tokens", "inference_runtime", "batch_size",
            "inference_idealized_runtime", "inference_denoised_runtime"),
        new("expected_max_toxicity", false, NoPerspective),
        new("max_toxicity_probability", false, NoPerspective),
        new("toxic_frac", false, NoPerspective),
        new("training_co2_cost", false, "needs HELM's training_efficiency.json entry for the model; none exists for our models"),
        new("training_energy_cost", false, "needs HELM's training_efficiency.json entry for the model; none exists for our models"),
        new("bert_score", false, "needs RoBERTa-large weights (BERTScore), which no registry here serves"),
        new("summac", false, "needs the SummaC NLI model weights, which no registry here serves"),
        new("qafacteval", false, "needs the QAFactEval question-generation and QA models, which no registry here serves"),
    ];

    /// <summary>Every metric the catalog knows, computed or not.</summary>
    public static IReadOnlyList<MetricAvailability> All => Entries;

    /// <summary>The entry for <paramref name="name"/> (HEIM's image metrics come from <c>Heim.HeimAspects</c>), or null.</summary>
    public static MetricAvailability? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    /// <summary>Of the requested metrics, those not computed, with their reasons (unknown names are the caller's error).</summary>
    public static IReadOnlyList<MetricAvailability> NotComputed(IEnumerable<string> requested) =>
        [.. requested.Select(Find).OfType<MetricAvailability>().Where(e => !e.Computed)];

    private static IEnumerable<MetricAvailability> Computed(params string[] names) => names.Select(n => new MetricAvailability(n, true));
}
