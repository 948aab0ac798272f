using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>Byte counts of the small kernels around attention.</summary>
public sealed class AttentionElementwiseTests
{
    // h = 256, a = 4 heads of 64, 2 key/value groups, 8 tokens on the rank.
    private static readonly TransformerModel Tiny = new(1, 256, 4, 8, 1000, QueryGroups: 2, FlashAttention: true, RotaryEmbeddings: true);

    [Fact]
    public void Rotary_embeddings_read_and_write_the_ranks_queries_and_keys()
    {
        // t = 1: queries 8 × 256, keys 8 × 2·64; 2 bytes read + 2 written each: 4 · 8 · (256 + 128) = 12,288.
        Assert.Equal(12288, AttentionElementwise.RotaryBytes(Tiny, 8, 1), 9);
        // t = 4 > g = 2: queries 256/4 = 64 wide, one replicated key head of 64: 4 · 8 · 128 = 4,096.
        Assert.Equal(4096, AttentionElementwise.RotaryBytes(Tiny, 8, 4), 9);
        Assert.Equal(0, AttentionElementwise.RotaryBytes(Tiny with { RotaryEmbeddings = false }, 8, 1));
    }

    [Fact]
    public void Ring_attention_merges_each_later_steps_partial_results()
    {
        Assert.Equal(0, AttentionElementwise.RingMergeBytes(Tiny, 8, 1, context: 1, backward: false));
        // c = 4: three merges of the 8 × 256 output, read two and write one 16-bit value: 3 · 6 · 2,048 = 36,864.
        Assert.Equal(36864, AttentionElementwise.RingMergeBytes(Tiny, 8, 1, context: 4, backward: false), 9);
        // Backward: dQ (8 × 256) and dK, dV (2 × 8 × 128): 3 · 6 · (2,048 + 2,048) = 73,728.
        Assert.Equal(73728, AttentionElementwise.RingMergeBytes(Tiny, 8, 1, context: 4, backward: true), 9);
    }

    [Fact]
    public void A_rotary_model_without_dropout_moves_the_bytes_its_kernels_move()
    {
        // Same model priced with learned positions and dropout, then with rotary embeddings and no dropout: the
        // element-wise time changes by the rotary bytes (forward and backward once each) minus the two masks
        // (2 bytes per token·h, forward, and twice that backward).
        var model = new TransformerModel(4, 1024, 16, 2048, 32000, FlashAttention: true);
        var choice = new LayoutChoice(new ParallelLayout(1, 1, 1), 1);
        var request = new PlanningRequest(model, new TrainingShape(1), PlanningCluster.ForGpuType("h100-80gb", 1));
        var plain = LayoutSearch.Evaluate(request, choice).Cost.Breakdown.ElementwiseSeconds;
        var modern = LayoutSearch.Evaluate(request with { Model = model with { RotaryEmbeddings = true, Dropout = false } }, choice).Cost.Breakdown.ElementwiseSeconds;
        var bandwidth = 3.35e12 * CostModelConstants.Default.MemoryBandwidthEfficiency;
        double tokens = 2048, h = 1024;
        var expected = 4 * (2 * 4.0 * tokens * (h + h) - 3 * 2.0 * tokens * h) / bandwidth;
        Assert.Equal(expected, modern - plain, 9);
    }
}
