using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Tests.Model;

/// <summary>Models described the current way: SwiGLU, untied embeddings, grouped-query attention, long sequences.</summary>
public sealed class ModernModelTests
{
    [Fact]
    public void Llama_2_7b_counts_its_published_parameters()
    {
        // 6.74B (Touvron et al. 2023); the planner's GPT also counts biases and a learned position table (16.8M).
        var llama = new TransformerModel(32, 4096, 32, 4096, 32000, Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);
        Assert.Equal(11008, llama.Ffn);
        Assert.InRange(llama.ParameterCount() / 1e9, 6.74, 6.74 * 1.005);
    }

    [Fact]
    public void Swiglu_has_three_ffn_matrices_and_untied_embeddings_a_second_vocabulary_matrix()
    {
        var gelu = new TransformerModel(2, 1024, 8, 1024, 32000, FfnHidden: 4096);
        var swiglu = gelu with { Activation = FfnActivation.Swiglu };
        Assert.Equal(1024.0 * 4096 + 4096, swiglu.DenseFfnParameters - gelu.DenseFfnParameters);
        Assert.Equal(1.5 * (gelu.LayerForwardFlopsPerSequence() - Attention(gelu)), swiglu.LayerForwardFlopsPerSequence() - Attention(swiglu), 0);
        Assert.Equal((double)gelu.PaddedVocabulary() * 1024, (gelu with { UntiedEmbeddings = true }).ParameterCount() - gelu.ParameterCount());
    }

    [Fact]
    public void Current_practice_defaults_follow_the_hardware_generation()
    {
        var model = new TransformerModel(2, 1024, 8, 1024, 32000);
        Assert.Null(model.FlashAttention);
        Assert.True(model.ResolvedFor(HardwareCatalog.Get("a100-80gb")).FlashAttention);
        Assert.False(model.ResolvedFor(HardwareCatalog.Get(HardwareCatalog.Cpu)).FlashAttention);
        Assert.False(model with { FlashAttention = false } is { FlashAttention: null });
        var shape = new TrainingShape(8);
        Assert.False(shape.ResolvedFor(HardwareCatalog.Get("a100-80gb")).OverlapTensorCommunication);
        Assert.True(shape.ResolvedFor(HardwareCatalog.Get("h100-80gb")).OverlapTensorCommunication);
    }

    [Theory]
    [InlineData(262144, "model.sequenceLength must be at most 131072")]
    [InlineData(131072, null)]
    public void Sequences_up_to_128k_are_described(int sequence, string? error)
    {
        var errors = new TransformerModel(2, 1024, 8, sequence, 32000).Validate();
        if (error is null) Assert.Empty(errors);
        else Assert.Contains(errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    private static double Attention(TransformerModel model) =>
        model.Layers * (2.0 * model.SequenceLength * model.Hidden * model.QkvWidth + 2.0 * model.SequenceLength * model.Hidden * model.Hidden +
                        4.0 * model.SequenceLength * model.SequenceLength * model.Hidden);
}
