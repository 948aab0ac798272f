using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Tests.Model;

public sealed class TransformerModelTests
{
    private static readonly TransformerModel Gpt3 = new(96, 12288, 96, 2048, 51200);

    [Fact]
    public void Heads_that_do_not_divide_hidden_are_reported_naming_both_fields()
    {
        var errors = new TransformerModel(12, 768, 7, 1024, 50257).Validate();
        var error = Assert.Single(errors);
        Assert.Contains("model.heads (7)", error);
        Assert.Contains("model.hidden (768)", error);
    }

    [Theory]
    [InlineData(0, 768, 12, 1024, 50257, "model.layers")]
    [InlineData(12, 768, 12, 0, 50257, "model.sequenceLength")]
    [InlineData(12, 768, 12, 1024, 0, "model.vocabulary")]
    public void Non_positive_sizes_are_reported_naming_the_field(int layers, int hidden, int heads, int sequence, int vocabulary, string field)
    {
        var error = Assert.Single(new TransformerModel(layers, hidden, heads, sequence, vocabulary).Validate());
        Assert.StartsWith(field, error);
        Assert.Throws<ArgumentException>(() => new TransformerModel(layers, hidden, heads, sequence, vocabulary).EnsureValid());
    }

    [Fact]
    public void Moe_with_more_experts_per_token_than_experts_is_reported()
    {
        var model = new TransformerModel(12, 768, 12, 1024, 50257, Moe: new MoeDescription(4, 8));
        Assert.Contains(model.Validate(), e => e.StartsWith("model.moe.topK", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(50257, 1, 50304)]
    [InlineData(50257, 8, 51200)]
    [InlineData(51200, 8, 51200)]
    [InlineData(51200, 3, 51456)]
    public void Vocabulary_is_padded_to_a_multiple_of_128_times_the_tensor_size(int vocabulary, int tensor, int padded)
    {
        Assert.Equal(padded, (Gpt3 with { Vocabulary = vocabulary }).PaddedVocabulary(tensor));
    }

    [Fact]
    public void Dense_parameter_count_follows_megatrons_formula_plus_the_final_layernorm()
    {
        double l = 96, h = 12288, v = 51200, s = 2048;
        var megatron = 12 * l * h * h * (1 + 13 / (12 * h) + (v + s) / (12 * l * h));
        Assert.Equal(megatron + 2 * h, Gpt3.ParameterCount(), 0);
    }

    [Fact]
    public void Model_and_hardware_flops_are_the_papers_72_and_96_formulas_for_a_dense_gpt()
    {
        double batch = 1536, s = 2048, l = 96, h = 12288, v = 51200;
        var model = 72 * batch * s * l * h * h * (1 + s / (6 * h) + v / (12 * l * h));
        var hardware = 96 * batch * s * l * h * h * (1 + s / (6 * h) + v / (16 * l * h));
        Assert.Equal(1, Gpt3.ModelFlopsPerIteration(1536) / model, 12);
        Assert.Equal(1, Gpt3.HardwareFlopsPerIteration(1536, RecomputeMode.Full) / hardware, 12);
        Assert.Equal(Gpt3.ModelFlopsPerIteration(1536), Gpt3.HardwareFlopsPerIteration(1536, RecomputeMode.None));
        Assert.InRange(Gpt3.HardwareFlopsPerIteration(1536, RecomputeMode.Selective), model, hardware);
    }

    [Fact]
    public void Moe_counts_every_experts_weights_but_only_top_k_experts_flops()
    {
        var dense = new TransformerModel(4, 1024, 16, 1024, 50257);
        var moe = dense with { Moe = new MoeDescription(8, 2, Every: 1) };
        var perExpert = 2.0 * 1024 * 4096 + 4096 + 1024;
        Assert.Equal(dense.ParameterCount() + 4 * (7 * perExpert + 1024 * 8), moe.ParameterCount(), 0);

        var ffnFlopsPerLayer = 4.0 * 1024 * 1024 * 4096;
        var routerFlopsPerLayer = 2.0 * 1024 * 1024 * 8;
        Assert.Equal(dense.LayerForwardFlopsPerSequence() + 4 * (ffnFlopsPerLayer + routerFlopsPerLayer), moe.LayerForwardFlopsPerSequence(), 0);
    }

    [Fact]
    public void Grouped_query_attention_shrinks_the_key_and_value_projections()
    {
        var grouped = Gpt3 with { QueryGroups = 8 };
        Assert.Equal(12288 + 2 * 8 * 128, grouped.QkvWidth);
        Assert.True(grouped.ParameterCount() < Gpt3.ParameterCount());
        Assert.Contains((Gpt3 with { QueryGroups = 7 }).Validate(), e => e.StartsWith("model.queryGroups", StringComparison.Ordinal));
    }
}
