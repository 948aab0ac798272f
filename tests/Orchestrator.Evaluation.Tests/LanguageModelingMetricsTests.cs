using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>HELM's compute_language_modeling_metrics and compute_perplexity_metrics, worked by hand.</summary>
public sealed class LanguageModelingMetricsTests
{
    private static Dictionary<string, Stat> ByName(IEnumerable<Stat> stats) => stats.ToDictionary(s => s.Name.Name);

    [Fact]
    public void SkipsConditioningTokensAndCountsUtf8Bytes()
    {
        // "<eot>" conditions; "Hello" (5 bytes, -2) and " world" (6 bytes, -1) are predicted
        var stats = ByName(LanguageModelingMetrics.Compute([new("<eot>", 0), new("Hello", -2), new(" world", -1)], 1));
        Assert.Equal(-3, stats["logprob"].Sum);
        Assert.Equal(2, stats["num_perplexity_tokens"].Sum);
        Assert.Equal(11, stats["num_bytes"].Sum);

        // perplexity e^(3/2), bits per byte 3/11/ln 2, log-prob per token -3/2, per byte -3/11
        var derived = ByName(LanguageModelingMetrics.Derive(stats));
        Assert.Equal(Math.Exp(1.5), derived["perplexity"].Sum, 12);
        Assert.Equal(3.0 / 11 / Math.Log(2), derived["bits_per_byte"].Sum, 12);
        Assert.Equal(-1.5, derived["logprob_per_token"].Sum, 12);
        Assert.Equal(-3.0 / 11, derived["logprob_per_byte"].Sum, 12);
    }

    [Fact]
    public void ByteTokensCountTheirEscapes()
    {
        // "bytes:\xe2\x80" = 2 bytes, "bytes:\x99" = 1 byte, "ok" = 2 bytes; no conditioning
        var stats = ByName(LanguageModelingMetrics.Compute(
            [new(@"bytes:\xe2\x80", -0.5), new(@"bytes:\x99", -0.25), new("ok", -0.25)], 0));
        Assert.Equal(5, stats["num_bytes"].Sum);
        Assert.Equal(3, stats["num_perplexity_tokens"].Sum);

        // bits per byte 1/5/ln 2; "é" is two UTF-8 bytes
        Assert.Equal(1.0 / 5 / Math.Log(2), LanguageModelingMetrics.Derive(stats).Single(s => s.Name.Name == "bits_per_byte").Sum, 12);
        Assert.Equal(2, LanguageModelingMetrics.ByteCount("é"));
    }

    [Fact]
    public void DropsAnEmptyLeadingTokenBeforeTheConditioningOnes()
    {
        // ["", "a", "b"] with 1 conditioning token: "" dropped, "a" conditions, "b" predicted
        var stats = ByName(LanguageModelingMetrics.Compute([new("", 0), new("a", -9), new("b", -1)], 1));
        Assert.Equal(-1, stats["logprob"].Sum);
        Assert.Equal(1, stats["num_perplexity_tokens"].Sum);

        // over two windows the sums merge first: perplexity e^((3 + 1) / (2 + 1))
        var merged = new Dictionary<string, Stat>
        {
            ["logprob"] = Stat.Of(new("logprob"), -3).Add(-1),
            ["num_perplexity_tokens"] = Stat.Of(new("num_perplexity_tokens"), 2).Add(1),
        };
        Assert.Equal(Math.Exp(4.0 / 3), LanguageModelingMetrics.Derive(merged).Single(s => s.Name.Name == "perplexity").Sum, 12);
        Assert.Empty(LanguageModelingMetrics.Derive(new Dictionary<string, Stat>()));
    }
}
