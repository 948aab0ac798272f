using Orchestrator.Kernels.Moe;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class MoeOptionsTests
{
    private static readonly MoeOptions Valid = new(HiddenSize: 64, FfnHiddenSize: 256, ExpertCount: 8, TopK: 2);

    [Fact]
    public void Accepts_a_valid_configuration_with_the_default_block_size()
    {
        Assert.Same(Valid, Valid.Validate());
        Assert.Equal(MoeOptions.DefaultBlockSize, Valid.BlockSize);
        Assert.Equal(4, (Valid with { ExpertParallelSize = 2 }).LocalExpertCount);
    }

    [Fact]
    public void Rejects_experts_not_divisible_by_the_expert_parallel_size()
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { ExpertParallelSize = 3 }).Validate());

        Assert.Equal(nameof(MoeOptions.ExpertCount), error.ParamName);
        Assert.Contains("divisible by ExpertParallelSize (3)", error.Message);
    }

    [Fact]
    public void Rejects_top_k_larger_than_the_number_of_experts()
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { ExpertCount = 1 }).Validate());

        Assert.Equal(nameof(MoeOptions.TopK), error.ParamName);
        Assert.Contains("must not exceed ExpertCount (1)", error.Message);
    }

    [Fact]
    public void Rejects_an_ffn_size_that_is_not_a_multiple_of_the_block_size()
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { FfnHiddenSize = 200 }).Validate());

        Assert.Equal(nameof(MoeOptions.FfnHiddenSize), error.ParamName);
        Assert.Contains("multiple of BlockSize (128)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Rejects_top_k_other_than_one_or_two(int topK)
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { TopK = topK }).Validate());

        Assert.Equal(nameof(MoeOptions.TopK), error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Rejects_a_capacity_factor_that_is_not_positive(double factor)
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { CapacityFactor = factor }).Validate());

        Assert.Equal(nameof(MoeOptions.CapacityFactor), error.ParamName);
    }

    [Fact]
    public void Layers_check_the_options_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() => new DroplessMoeLayer(Valid with { FfnHiddenSize = 100, BlockSize = 64 }));

        Assert.Equal(nameof(MoeOptions.FfnHiddenSize), error.ParamName);
    }
}
