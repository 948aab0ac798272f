using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>The fused attention kernel of a layer: causal layers, window tiles counted whole, ring steps, head sizes.</summary>
public sealed class FusedAttentionCostTests
{
    private static readonly GpuModel H100 = HardwareCatalog.Get("h100-80gb");
    private static readonly double Launch = CostModelConstants.Default.KernelLaunchSeconds;

    // GPT-OSS-120B's attention: 64 query heads of 64, 8 key/value groups, sequence 4096.
    private static readonly TransformerModel GptOss = new(36, 2880, 64, 4096, 201088, QueryGroups: 8, HeadDimension: 64,
        FlashAttention: true, Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);

    [Fact]
    public void A_128_token_window_makes_every_query_tile_but_the_first_compute_two_key_tiles()
    {
        var tiles = FusedAttentionCost.CountWindowTiles(4096, 128);
        Assert.Equal(32, tiles.QueryTiles);
        // 1 + 31 × 2 = 63 tiles of 128 × 128: 252 keys per query, twice the 126.0 pairs the window keeps.
        Assert.Equal(63 * 128.0 * 128 / 4096, tiles.KeysPerQuery, 9);
        Assert.Equal(63 * 128.0 / 32, tiles.KeysPerQueryTile, 9);
        // One more token of window reaches no new tile; two more reach a third tile from the third query tile on.
        Assert.Equal(tiles, FusedAttentionCost.CountWindowTiles(4096, 129));
        Assert.Equal((1 + 2 + 30 * 3) * 128.0 * 128 / 4096, FusedAttentionCost.CountWindowTiles(4096, 130).KeysPerQuery, 9);
        // A one-token window still computes the diagonal tile whole.
        Assert.Equal(128, FusedAttentionCost.CountWindowTiles(4096, 1).KeysPerQuery, 9);
        // A ragged last tile counts only its rows and columns: 200 tokens, tiles of 128 and 72.
        Assert.Equal((128.0 * 128 + 72 * 128 + 72 * 72) / 200, FusedAttentionCost.CountWindowTiles(200, 64).KeysPerQuery, 9);
    }

    [Fact]
    public void Windowed_layers_pay_for_their_tiles_at_the_unmasked_rate_and_full_layers_for_their_pairs_at_the_causal_rate()
    {
        var rates = FusedAttentionRates.For(H100.FusedAttention!);
        var kernels = new DeviceKernels(H100, Precision.Bf16, CostModelConstants.Default);
        double b = 2, s = 4096, width = 64 * 64;

        var allWindowed = new FusedAttentionCost(GptOss with { SlidingWindow = 128, SlidingWindowEvery = 1 }, kernels).Times(b, tensor: 1, context: 1);
        // 252 keys per query (63 whole tiles), each query tile iterating over 252 keys: the 512-token rate, the shortest measured.
        var windowFlops = 4 * b * s * 252 * width;
        Assert.Equal(windowFlops / (rates.Tflops(false, false, 64, 512) * 1e12) + Launch, allWindowed.Forward, 12);
        Assert.Equal(2.5 * windowFlops / (rates.Tflops(true, false, 64, 512) * 1e12) + Launch, allWindowed.Backward, 12);

        var full = new FusedAttentionCost(GptOss, kernels).Times(b, tensor: 1, context: 1);
        var fullFlops = 4 * b * s * (s / 2) * width;
        Assert.Equal(fullFlops / (363e12) + Launch, full.Forward, 12);

        // GPT-OSS alternates: the layer average is the mean of the two.
        var alternating = new FusedAttentionCost(GptOss with { SlidingWindow = 128, SlidingWindowEvery = 2 }, kernels).Times(b, 1, 1);
        Assert.Equal((full.Forward + allWindowed.Forward) / 2, alternating.Forward, 12);
        // A window as long as the sequence is the causal mask.
        Assert.Equal(full, new FusedAttentionCost(GptOss with { SlidingWindow = 4096 }, kernels).Times(b, 1, 1));
    }

    [Fact]
    public void Ring_attention_runs_one_step_in_c_under_the_causal_mask_and_the_rest_unmasked_over_s_over_c_keys()
    {
        var rates = FusedAttentionRates.For(H100.FusedAttention!);
        var kernels = new DeviceKernels(H100, Precision.Bf16, CostModelConstants.Default);
        var llama = new TransformerModel(32, 4096, 32, 8192, 128256, QueryGroups: 8, FlashAttention: true);
        var ring = new FusedAttentionCost(llama, kernels).Times(1, tensor: 1, context: 4);
        // The rank's 2,048 queries against 4,096 keys on average; a quarter at the causal rate, the rest unmasked, 2K keys each.
        var flops = 4.0 * 2048 * 4096 * 4096;
        var perFlop = 0.25 / (rates.Tflops(false, true, 128, 2048) * 1e12) + 0.75 / (rates.Tflops(false, false, 128, 2048) * 1e12);
        Assert.Equal(flops * perFlop + Launch, ring.Forward, 12);
    }

    [Fact]
    public void The_same_attention_width_in_heads_of_64_takes_longer_than_in_heads_of_128()
    {
        // 64 heads of 64 against 32 heads of 128: the same FLOPs, priced by the measured rate of each head size.
        var request = new PlanningRequest(GptOss, new TrainingShape(8), PlanningCluster.ForGpuType("h100-80gb", 8));
        var choice = new LayoutChoice(new ParallelLayout(1, 1, 8), 1);
        var narrow = LayoutSearch.Evaluate(request, choice).Cost.Breakdown.AttentionSeconds;
        var wide = LayoutSearch.Evaluate(request with { Model = GptOss with { Heads = 32, HeadDimension = 128 } }, choice).Cost.Breakdown.AttentionSeconds;
        // Causal at 4K: forward 518/363 = 1.43 times slower; backward (2.5 times the FLOPs) 424/371 = 1.14 times
        // (unmasked 499/417, times each head size's causal ratio): 1.21 overall.
        Assert.InRange(narrow / wide, 1.15, 1.3);
    }

    [Fact]
    public void Without_a_measurement_the_kernel_runs_at_the_gemm_efficiency_plus_its_reads()
    {
        var a100 = new DeviceKernels(HardwareCatalog.Get("a100-80gb"), Precision.Bf16, CostModelConstants.Default);
        var kernel = new AttentionKernel(64, 4096, 1);
        var expected = 1e12 / (271.2e12 * CostModelConstants.Default.GemmPeakEfficiency) + 1e9 / (2.039e12 * CostModelConstants.Default.MemoryBandwidthEfficiency) + Launch;
        Assert.Equal(expected, a100.FusedAttention(1e12, 1e9, kernel), 12);
    }
}
