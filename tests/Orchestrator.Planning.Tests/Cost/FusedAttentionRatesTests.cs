using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>
/// The fused attention kernel's measured rates (FlashAttention-3 paper, Figures 5 and 6, cuDNN bars on H100) and the
/// stated rules between and beyond the measured points.
/// </summary>
public sealed class FusedAttentionRatesTests
{
    private static readonly FusedAttentionRates H100 = FusedAttentionRates.For(HardwareCatalog.Get("h100-80gb").FusedAttention!);

    [Fact]
    public void Hopper_gpus_name_the_h100_measurement_and_the_a100_has_none()
    {
        Assert.Equal("h100-sxm5-cudnn-bf16", HardwareCatalog.Get("h100-80gb").FusedAttention);
        Assert.Equal("h100-sxm5-cudnn-bf16", HardwareCatalog.Get("h200-141gb").FusedAttention);
        Assert.Null(HardwareCatalog.Get("a100-80gb").FusedAttention);
        Assert.Throws<KeyNotFoundException>(() => FusedAttentionRates.For("b200-cudnn"));
    }

    [Fact]
    public void The_measured_points_are_the_papers_cudnn_bars()
    {
        // Head dimension 128, 8K: the figures the catalog priced every model at before (Figures 5 and 6).
        Assert.Equal(600, H100.Tflops(backward: false, causal: false, 128, 8192));
        Assert.Equal(518, H100.Tflops(backward: true, causal: false, 128, 8192));
        Assert.Equal(529, H100.Tflops(backward: false, causal: true, 128, 8192));
        Assert.Equal(363, H100.Tflops(backward: false, causal: true, 64, 4096));
        Assert.Equal(509, H100.Tflops(backward: false, causal: true, 256, 16384));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(16384)]
    public void Head_size_64_runs_slower_per_flop_than_128_in_both_passes_with_and_without_the_mask(int sequence)
    {
        foreach (var backward in new[] { false, true })
        {
            foreach (var causal in new[] { false, true })
            {
                Assert.True(H100.Tflops(backward, causal, 64, sequence) < 0.95 * H100.Tflops(backward, causal, 128, sequence),
                    $"backward {backward}, causal {causal}, sequence {sequence}");
            }
        }
    }

    [Fact]
    public void Between_measured_head_sizes_the_rate_is_linear_in_log_head_size()
    {
        // 96 and 192 lie log₂ 1.5 = 0.585 of the way from 64 to 128 and from 128 to 256.
        Assert.Equal(335 + Math.Log2(1.5) * (497 - 335), H100.Tflops(false, false, 96, 512), 9);
        Assert.Equal(600 + Math.Log2(1.5) * (580 - 600), H100.Tflops(false, false, 192, 8192), 9);
        var between = H100.Tflops(true, false, 80, 2048);
        Assert.InRange(between, 395, 465);
    }

    [Fact]
    public void Between_measured_lengths_the_rate_is_linear_in_log_length_and_outside_it_the_nearest_end()
    {
        // 3,000 lies 0.55 of the way in log₂ from 2K (484) to 4K (518).
        Assert.Equal(484 + Math.Log2(3000 / 2048.0) * (518 - 484), H100.Tflops(false, true, 128, 3000), 9);
        Assert.Equal(315, H100.Tflops(false, true, 128, 256));
        Assert.Equal(539, H100.Tflops(false, true, 128, 131072));
    }

    [Fact]
    public void A_head_below_64_takes_the_time_of_a_64_head_and_the_unmeasured_cells_borrow_the_forward_ratios()
    {
        // Padded to the smallest kernel: half the useful FLOPs in the same time.
        Assert.Equal(412 / 2.0, H100.Tflops(false, false, 32, 8192), 9);
        // Backward at 256 (not measured): the 128 backward rate times the forward's 256/128 ratio.
        Assert.Equal(518 * 580 / 600.0, H100.Tflops(true, false, 256, 8192), 9);
        // Causal backward (not measured): the unmasked backward rate times the forward's causal/unmasked ratio.
        Assert.Equal(518 * 529 / 600.0, H100.Tflops(true, true, 128, 8192), 9);
        Assert.Equal(417 * 363 / 408.0, H100.Tflops(true, true, 64, 4096), 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    [InlineData(512)]
    public void A_head_size_no_fused_kernel_takes_is_refused(int headDimension)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => H100.Tflops(false, true, headDimension, 4096));
        Assert.Contains("model.headDimension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_heads_wider_than_256_needs_the_unfused_path()
    {
        var wide = new TransformerModel(2, 4096, 8, 2048, 1000);
        Assert.Contains(wide.Validate(), e => e.StartsWith("model.headDimension (512, i.e. hidden/heads) must be at most 256", StringComparison.Ordinal));
        Assert.Contains((wide with { FlashAttention = true, HeadDimension = 320 }).Validate(), e => e.StartsWith("model.headDimension (320)", StringComparison.Ordinal));
        Assert.Empty((wide with { FlashAttention = false }).Validate());
        Assert.Empty((wide with { Heads = 16 }).Validate());
    }
}
