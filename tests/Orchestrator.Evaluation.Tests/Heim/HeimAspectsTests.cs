using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Heim;
using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Metrics;
using Orchestrator.Evaluation.Perturbations;

namespace Orchestrator.Evaluation.Tests.Heim;

public sealed class HeimAspectsTests
{
    [Fact]
    public void The_twelve_aspects_say_what_is_computed_and_why_the_rest_is_not()
    {
        Assert.Equal(
            ["alignment", "quality", "aesthetics", "originality", "reasoning", "knowledge", "bias", "toxicity", "fairness", "robustness", "multilinguality", "efficiency"],
            HeimAspects.All.Select(a => a.Name));
        Assert.All(HeimAspects.All.SelectMany(a => a.Metrics), m => Assert.Equal(m.Computed, m.Reason is null));
        Assert.Contains(HeimAspects.Find("aesthetics").Metrics, m => m is { Name: "fractal_dimension_loss", Computed: true });
        Assert.Contains(HeimAspects.Find("alignment").Metrics, m => m is { Name: "expected_clip_score", Computed: false } && m.Reason!.Contains("CLIP"));
        Assert.Contains("aspects: alignment", Assert.Throws<ArgumentException>(() => HeimAspects.Find("beauty")).Message);
    }

    [Fact]
    public void Text_metrics_needing_models_are_reported_not_computed_with_the_reason()
    {
        var missing = MetricCatalog.NotComputed(["exact_match", "expected_max_toxicity", "bits_per_byte", "bert_score"]);

        Assert.Equal(["expected_max_toxicity", "bert_score"], missing.Select(m => m.Name));
        Assert.Contains("Perspective", missing[0].Reason);
        Assert.True(MetricCatalog.Find("platt_ece_10_bin")!.Computed);
    }

    [Fact]
    public async Task Robustness_is_the_worst_image_metric_over_typo_perturbed_prompts()
    {
        // A model that draws a diagonal (D = 1) for the prompt as written and a checkerboard (D = 2) for any other.
        const string prompt = "a painting of a lighthouse at sunset";
        var client = new PromptDependentImages(prompt);
        var instances = Perturbation.Augment([new Instance("p1", prompt, [], Splits.Test)], [new TyposPerturbation(0.3)]);
        Assert.Equal(2, instances.Count);
        Assert.NotEqual(prompt, instances[1].Input);

        var perInstance = new List<PerInstanceStats>();
        foreach (var instance in instances)
        {
            var result = await client.GenerateAsync(new ImageGenerationRequest("m", instance.Input), default);
            perInstance.Add(new PerInstanceStats(instance, 0, [.. HeimImageMetrics.Evaluate(result).Select(s => s.WithName(MetricName.InContextOf(s.Name.Name, instance)))]));
        }

        var stats = RunAggregator.Aggregate(perInstance);
        // |1 − 1.4| = 0.4 as written, |2 − 1.4| = 0.6 with typos; HELM's worst case takes the minimum (0.4).
        var robust = Assert.Single(stats, s => s.Name.Name == "fractal_dimension_loss" && s.Name.Perturbation is { Name: "robustness", ComputedOn: "worst" });
        Assert.Equal(0.4, robust.Mean!.Value, 1e-12);
        var typos = Assert.Single(stats, s => s.Name.Name == "fractal_dimension_loss" && s.Name.Perturbation is { Name: "typos", ComputedOn: null });
        Assert.Equal(0.6, typos.Mean!.Value, 1e-12);
    }

    private sealed class PromptDependentImages(string original) : IImageModelClient
    {
        public string ModelId => "test";

        public Task<ImageGenerationResult> GenerateAsync(ImageGenerationRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ImageGenerationResult(
                [new GeneratedImage(TestImages.Png(16, 16, (r, c) => (request.Prompt == original ? r == c : (r + c) % 2 == 0) ? TestImages.Black : TestImages.White))],
                0.1));
    }
}
