using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Tests.Memory;

/// <summary>Korthikanti et al. 2022, Section 4 and Table 2: activation bytes per layer.</summary>
public sealed class ActivationMemoryTests
{
    // GPT-3 175B shapes: s = 2048, h = 12288, a = 96; micro-batch 1, tensor 8.
    private const double S = 2048, H = 12288, A = 96, B = 1, T = 8;
    private static readonly TransformerModel Gpt3 = new(96, 12288, 96, 2048, 51200);

    [Fact]
    public void Without_parallelism_a_layer_keeps_sbh_times_34_plus_5as_over_h()
    {
        var expected = S * B * H * (34 + 5 * A * S / H);
        Assert.Equal(expected, ActivationMemory.DenseLayer(S, B, H, A, 1, sequenceParallel: false));
        Assert.Equal(expected, ActivationMemory.DenseLayer(S, B, H, A, 1, sequenceParallel: true));
        Assert.Equal(expected, ActivationMemory.Layer(Gpt3, 1, 1, 1, false, RecomputeMode.None, moe: false));
    }

    [Fact]
    public void Tensor_parallelism_splits_all_but_10_sbh()
    {
        var expected = S * B * H * (10 + 24 / T + 5 * A * S / (H * T));
        Assert.Equal(expected, ActivationMemory.Layer(Gpt3, 1, 8, 1, false, RecomputeMode.None, moe: false));
    }

    [Fact]
    public void Sequence_parallelism_splits_everything_by_t()
    {
        var expected = S * B * H / T * (34 + 5 * A * S / H);
        Assert.Equal(expected, ActivationMemory.Layer(Gpt3, 1, 8, 1, true, RecomputeMode.None, moe: false));
    }

    [Fact]
    public void Selective_recomputation_drops_the_5as_over_h_term()
    {
        Assert.Equal(34 * S * B * H / T, ActivationMemory.Layer(Gpt3, 1, 8, 1, true, RecomputeMode.Selective, moe: false));
        Assert.Equal(S * B * H * (10 + 24 / T), ActivationMemory.Layer(Gpt3, 1, 8, 1, false, RecomputeMode.Selective, moe: false));
    }

    [Fact]
    public void Full_recomputation_keeps_the_2sbh_layer_input()
    {
        Assert.Equal(2 * S * B * H, ActivationMemory.Layer(Gpt3, 1, 8, 1, false, RecomputeMode.Full, moe: false));
        Assert.Equal(2 * S * B * H / T, ActivationMemory.Layer(Gpt3, 1, 8, 1, true, RecomputeMode.Full, moe: false));
    }

    [Fact]
    public void The_first_1f1b_stage_keeps_the_activations_of_all_l_layers_whatever_p_is()
    {
        // Korthikanti Section 4.2.3: p micro-batches of L/p layers in flight, plus the embedding dropout mask sbhp/t.
        var choice = new LayoutChoice(new ParallelLayout(8, 8, 1), 1, RecomputeMode.Selective, SequenceParallel: true);
        var activations = MemoryModel.Activations(Gpt3, new TrainingShape(64), choice, stageLayers: 12);
        Assert.Equal(34 * S * B * H / T * 96 + S * B * H * 8 / T, activations, 0);
    }

    [Fact]
    public void Interleaving_multiplies_the_first_stage_by_1_plus_p_minus_1_over_pv()
    {
        var plain = new LayoutChoice(new ParallelLayout(8, 8, 1), 1, RecomputeMode.Selective, SequenceParallel: true);
        var interleaved = plain with { Layout = new ParallelLayout(8, 8, 1, VirtualStages: 3), Schedule = PipelineSchedule.Interleaved };
        var layers = 34 * S * B * H / T * 96;
        var extra = MemoryModel.Activations(Gpt3, new TrainingShape(64), plain, 12) - layers;
        Assert.Equal(layers * (1 + 7.0 / 24) + extra, MemoryModel.Activations(Gpt3, new TrainingShape(64), interleaved, 12), 0);
    }

    [Fact]
    public void Gpipe_keeps_every_micro_batch_and_1f1b_only_p()
    {
        var oneFOneB = new LayoutChoice(new ParallelLayout(8, 8, 1), 1, RecomputeMode.Full);
        var gpipe = oneFOneB with { Schedule = PipelineSchedule.GPipe };
        var training = new TrainingShape(64);
        Assert.True(MemoryModel.Activations(Gpt3, training, gpipe, 12) > 7 * MemoryModel.Activations(Gpt3, training, oneFOneB, 12));
    }

    [Fact]
    public void Zero1_shards_optimizer_state_and_2bw_stashes_a_second_weight_copy()
    {
        var gpu = HardwareCatalog.Get("a100-80gb");
        var model = new TransformerModel(24, 2304, 24, 2048, 51200);
        var training = new TrainingShape(512);
        var plain = new LayoutChoice(new ParallelLayout(1, 2, 16), 1, RecomputeMode.Full);
        var baseline = MemoryModel.Estimate(model, training, plain, gpu);
        var zero = MemoryModel.Estimate(model, training, plain with { ShardOptimizer = true }, gpu);
        var twoBw = MemoryModel.Estimate(model, training, plain with { Schedule = PipelineSchedule.PipeDream2BW }, gpu);

        Assert.Equal(baseline.OptimizerBytes / 16, zero.OptimizerBytes, 0);
        Assert.Equal(6 * baseline.WeightBytes, baseline.OptimizerBytes, 0);
        Assert.Equal(2 * baseline.WeightBytes, twoBw.WeightBytes, 0);
        // FP32 main gradients (the default) take 4 bytes per parameter; 16-bit gradients as many bytes as the weights.
        Assert.Equal(2 * baseline.WeightBytes, baseline.GradientBytes, 0);
        var halfGradients = MemoryModel.Estimate(model, training with { Fp32MainGradients = false }, plain, gpu);
        Assert.Equal(halfGradients.WeightBytes, halfGradients.GradientBytes, 0);
    }

    [Fact]
    public void A_layout_fits_only_below_memory_minus_the_reserve()
    {
        var gpu = HardwareCatalog.Get("a100-80gb");
        var model = new TransformerModel(96, 12288, 96, 2048, 51200);
        var estimate = MemoryModel.Estimate(model, new TrainingShape(64), new LayoutChoice(new ParallelLayout(8, 8, 1), 1, RecomputeMode.Full), gpu);
        Assert.Equal(80 * 0.9 * (1L << 30), estimate.CapacityBytes, 0);
        Assert.True(estimate.Fits);
        var oneGpu = MemoryModel.Estimate(model, new TrainingShape(64), new LayoutChoice(new ParallelLayout(1, 1, 1), 1, RecomputeMode.Full), gpu);
        Assert.False(oneGpu.Fits);
    }

    [Fact]
    public void Flash_attention_keeps_no_scores_so_no_5as_over_h_term()
    {
        var flash = Gpt3 with { FlashAttention = true };
        Assert.Equal(34 * S * B * H / T, ActivationMemory.Layer(flash, 1, 8, 1, true, RecomputeMode.None, moe: false));
    }
}
