using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>
/// Idealized and denoised runtime, formula-exact against HELM's efficiency_metrics.py. The profiles are small
/// fixtures in HELM's file shape (the real files are passed at run time, never read by tests).
/// </summary>
public sealed class EfficiencyTests
{
    private const string IdealizedJson = """
        { "test/model": { "runtime_per_output_token": 0.02,
                          "runtime_for_prompt_tokens": { "16": 0.016, "256": 0.1, "512": 0.3 } } }
        """;

    private const string DenoisedJson = """
        { "test/model": { "runtime_per_output_token": 0.02,
                          "runtime_for_prompt_tokens": { "16": 0.016, "256": 0.1, "512": 0.3 }, "overhead": 0.2 } }
        """;

    private static RuntimeProfile Idealized => RuntimeProfiles.Parse(IdealizedJson).Find("test/model")!;

    [Fact]
    public void ProfilesListTheirModelsAndMissAbsentOnes()
    {
        var profiles = RuntimeProfiles.Parse(IdealizedJson);
        Assert.Equal(["test/model"], profiles.Models);
        Assert.Null(profiles.Find("openai/davinci"));
    }

    [Fact]
    public void PromptBelowTheSmallestSizeScalesThatSizeDown()
    {
        // smallest key >= 8 is 16: 0.016 * 8/16 = 0.008; 5 output tokens add 0.02 * (5 - 1) = 0.08
        Assert.Equal(0.008 + 0.08, Idealized.EstimateSeconds(8, 5), 15);
    }

    [Fact]
    public void PromptBetweenSizesUsesTheNextLargerSize()
    {
        // 300 -> key 512: 0.3 * 300/512 = 0.17578125; one output token adds 0.02 * 0
        Assert.Equal(0.3 * 300 / 512, Idealized.EstimateSeconds(300, 1), 15);

        // exactly on a key: 0.1 * 256/256; no output tokens add nothing
        Assert.Equal(0.1, Idealized.EstimateSeconds(256, 0), 15);
    }

    [Fact]
    public void PromptAboveTheLargestSizeScalesTheLargestUp()
    {
        // 1024 > 512: 0.3 * 1024/512 = 0.6; 11 output tokens add 0.02 * 10 = 0.2
        Assert.Equal(0.6 + 0.2, Idealized.EstimateSeconds(1024, 11), 15);
    }

    [Fact]
    public void DenoisedProfilesAddTheirOverhead()
    {
        var denoised = RuntimeProfiles.Parse(DenoisedJson).Find("test/model")!;
        Assert.Equal(0.3 * 300 / 512 + 0.2, denoised.EstimateSeconds(300, 1), 15);
    }

    [Fact]
    public void StatsOfAnEchoedRequestCountOnlyNewTokens()
    {
        var metrics = new EfficiencyMetrics(RuntimeProfiles.Parse(IdealizedJson), RuntimeProfiles.Parse(DenoisedJson));

        // prompt 10, completion 12 echoed -> 2 output tokens; idealized 0.016 * 10/16 + 0.02 * 1 = 0.03; denoised + 0.2
        var stats = metrics.Compute(new EfficiencyInput("test/model", 10, [12], EchoPrompt: true, RequestTime: 1.5))
            .ToDictionary(s => s.Name.Name, s => s.Sum);
        Assert.Equal(2, stats["num_output_tokens"]);
        Assert.Equal(12, stats["num_completion_tokens"]);
        Assert.Equal(1.5, stats["inference_runtime"]);
        Assert.Equal(1, stats["batch_size"]);
        Assert.Equal(0.016 * 10 / 16 + 0.02, stats["inference_idealized_runtime"], 15);
        Assert.Equal(0.016 * 10 / 16 + 0.02 + 0.2, stats["inference_denoised_runtime"], 15);
    }

    [Fact]
    public void BatchInferenceDenoisesByTheBatchAndUnknownModelsGetNoEstimate()
    {
        var metrics = new EfficiencyMetrics(RuntimeProfiles.Parse(IdealizedJson), RuntimeProfiles.Parse(DenoisedJson));

        // offline batch: runtime 4 s for 8 requests -> denoised 0.5 s
        var batch = metrics.Compute(new EfficiencyInput("test/model", 10, [3], BatchRequestTime: 4, BatchSize: 8))
            .ToDictionary(s => s.Name.Name, s => s.Sum);
        Assert.Equal(4, batch["inference_runtime"]);
        Assert.Equal(8, batch["batch_size"]);
        Assert.Equal(0.5, batch["inference_denoised_runtime"]);

        // an echoed prompt longer than the completion (tokenizer not round-tripping) counts 0 output tokens
        var other = metrics.Compute(new EfficiencyInput("other/model", 10, [4], EchoPrompt: true))
            .ToDictionary(s => s.Name.Name, s => s.Sum);
        Assert.Equal(0, other["num_output_tokens"]);
        Assert.False(other.ContainsKey("inference_idealized_runtime"));
        Assert.False(other.ContainsKey("inference_denoised_runtime"));
    }

    [Theory]
    [InlineData("""{"m": {"runtime_for_prompt_tokens": {"1": 0.1}}}""", "m.runtime_per_output_token")]
    [InlineData("""{"m": {"runtime_per_output_token": 0.1, "runtime_for_prompt_tokens": {"abc": 0.1}}}""", "key 'abc'")]
    [InlineData("""{"m": {"runtime_per_output_token": 0.1, "runtime_for_prompt_tokens": {}}}""", "at least one")]
    [InlineData("""{"m": {"runtime_per_output_token": 0.1, "runtime_for_prompt_tokens": {"1": 0.1}, "overhead": "x"}}""", "m.overhead")]
    [InlineData("""[1]""", "must be an object")]
    public void RefusesMalformedProfilesNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RuntimeProfiles.Parse(json, "p.json"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("p.json:", error.Message);
    }
}
