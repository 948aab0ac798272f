using Orchestrator.Planning.Calibration;
using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Tests.Topology;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>
/// The modern MoE table lives in the project with its source, its rows describe the published runs (the planner's
/// FLOP count of each model agrees with the model TFLOP/s the table prints), and the planner prices every row.
/// </summary>
public sealed class ModernMoeTableTests
{
    private static readonly TransformerModel Qwen3_30B = new(48, 2048, 32, 4096, 151936, QueryGroups: 4,
        Moe: new MoeDescription(128, 8, ExpertFfnHidden: 768), Activation: FfnActivation.Swiglu, UntiedEmbeddings: true, HeadDimension: 128);

    private static readonly TransformerModel GptOss120B = new(36, 2880, 64, 4096, 201088, QueryGroups: 8,
        Moe: new MoeDescription(128, 4, ExpertFfnHidden: 2880), Activation: FfnActivation.Swiglu, UntiedEmbeddings: true, HeadDimension: 64);

    [Fact]
    public void The_table_is_a_file_of_the_project_naming_its_source_and_the_embedded_copy_is_that_file()
    {
        var path = RepositoryFiles.PathOf("silo", "Orchestrator.Planning", "Calibration", "Published", $"{ModernRuns.MoeTable}.csv");
        var text = File.ReadAllText(path);
        Assert.Contains("github.com/NVIDIA-NeMo/Megatron-Bridge", text);
        Assert.Contains("System: DGX-H100", text);
        var dataLines = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(ModernRuns.MoeRows.Rows.Count + 1, dataLines.Count); // header + rows
        Assert.Equal(["gpt-oss-120b-gbs1280", "qwen3-30b-a3b-gbs512", "qwen3-30b-a3b-gbs1024"], ModernRuns.MoeRows.Rows.Select(r => r.Text("name")));
    }

    [Fact]
    public void Each_row_is_measured_as_seconds_per_iteration_from_its_tokens_per_second()
    {
        var points = ModernRuns.MoePoints();
        // GPT-OSS-120B, 26.02: 1280 sequences of 4096 tokens at 5993 tokens/s on each of 64 GPUs.
        Assert.Equal(1280.0 * 4096 / (5993 * 64), points[0].Measured, 9);
        Assert.All(points, p => Assert.Equal(ModernRuns.MoeTable, p.Table));
        Assert.All(points, p => Assert.InRange(p.Predict(CostModelConstants.Default), 0.2 * p.Measured, 2 * p.Measured));
    }

    [Fact]
    public void Gpt_oss_attends_through_a_128_token_window_every_other_layer_and_qwen3_attends_in_full()
    {
        var rows = ModernRuns.MoeRows.Rows.ToDictionary(r => r.Text("name"));
        Assert.Equal(128, rows["gpt-oss-120b-gbs1280"].OptionalInt("sliding_window"));
        Assert.Equal(2, rows["gpt-oss-120b-gbs1280"].OptionalInt("sliding_window_every"));
        Assert.Null(rows["qwen3-30b-a3b-gbs1024"].OptionalInt("sliding_window"));
        // Priced with the window, GPT-OSS's row is faster than the same run with full attention in every layer would be.
        var windowed = GptOss120B with { SlidingWindow = 128, SlidingWindowEvery = 2 };
        Assert.True(windowed.LayerForwardFlopsPerSequence() < GptOss120B.LayerForwardFlopsPerSequence());
    }

    [Fact]
    public void The_models_have_the_published_parameter_counts()
    {
        // Qwen3-30B-A3B: 30.5B parameters, 3.3B active (model card); GPT-OSS-120B: 116.8B, 5.1B active (model card).
        Assert.InRange(Qwen3_30B.ParameterCount() / 1e9, 30.5 * 0.98, 30.5 * 1.02);
        Assert.InRange(GptOss120B.ParameterCount() / 1e9, 116.8 * 0.98, 116.8 * 1.02);
        Assert.Equal(32 * 128 + 2 * 4 * 128, Qwen3_30B.QkvWidth);
    }

    [Fact]
    public void The_planners_flop_count_agrees_with_the_model_tflops_the_table_prints()
    {
        // Model TFLOP/s × seconds × GPUs is the table's own FLOP count per iteration; the planner's, with attention
        // counted causally, must agree for Qwen3: a wrongly entered architecture would not. (For GPT-OSS the printed
        // figure, 27 GFLOP per token, is what experts of two matrices would give, below the 34 of its SwiGLU experts;
        // the comparison uses tokens per second, so that does not enter the error.)
        foreach (var row in ModernRuns.MoeRows.Rows.Where(r => r.Text("name").StartsWith("qwen3", StringComparison.Ordinal)))
        {
            var model = Qwen3_30B;
            var batch = row.Int("global_batch");
            var seconds = (double)batch * row.Int("sequence") / (row.Number("tokens_per_second_per_gpu") * row.Int("gpus"));
            var published = row.Number("model_tflops_per_gpu") * 1e12 * seconds * row.Int("gpus");
            Assert.InRange(model.ModelFlopsPerIteration(batch, causalAttention: true) / published, 0.9, 1.1);
        }
    }

    [Fact]
    public void A_head_size_apart_from_the_hidden_size_must_be_positive_and_frees_heads_from_dividing_hidden()
    {
        Assert.Contains((Qwen3_30B with { HeadDimension = 0 }).Validate(), e => e.StartsWith("model.headDimension", StringComparison.Ordinal));
        Assert.Empty((Qwen3_30B with { Hidden = 2000 }).Validate());
        Assert.Contains((Qwen3_30B with { Hidden = 2000, HeadDimension = null }).Validate(), e => e.StartsWith("model.heads", StringComparison.Ordinal));
    }
}
