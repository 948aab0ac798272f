using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Tests.Memory;

/// <summary>Memory terms of current training: logits on the last stage, MoE dispatch buffers, context-parallel activations.</summary>
public sealed class ModernMemoryTests
{
    private static readonly GpuModel H100 = HardwareCatalog.Get("h100-80gb");

    [Fact]
    public void The_last_stage_carries_the_fp32_logits_and_is_the_busiest_when_the_vocabulary_is_large()
    {
        // A 256K vocabulary at sequence 8192: 4 bytes × s × V/t of logits on the last stage dwarf a first stage's layers.
        var model = new TransformerModel(8, 2048, 16, 8192, 256000, FlashAttention: true);
        var choice = new LayoutChoice(new ParallelLayout(1, 4, 1), 1, RecomputeMode.Full);
        var training = new TrainingShape(16);
        var estimate = MemoryModel.Estimate(model, training, choice, H100);
        var firstStageActivations = MemoryModel.Activations(model.ResolvedFor(H100), training, choice, stageLayers: 2, firstStage: true);
        var lastStageActivations = MemoryModel.Activations(model.ResolvedFor(H100), training, choice, stageLayers: 2, firstStage: false);
        var logits = 4.0 * 8192 * 256000;
        Assert.True(lastStageActivations - firstStageActivations > 0.9 * logits);
        // The estimate is the last stage's (which the stage split may give a layer fewer to make room for the logits).
        Assert.True(estimate.ActivationBytes > firstStageActivations + 0.9 * logits);
    }

    [Fact]
    public void Moe_layers_add_dispatch_buffers_of_top_k_routed_copies()
    {
        var dense = new TransformerModel(4, 1024, 16, 2048, 32000, FlashAttention: true);
        var moe = dense with { Moe = new MoeDescription(8, 2) };
        var extra = ActivationMemory.MoeDispatchBuffers(moe, microBatch: 2, tensor: 1, context: 1, sequenceParallel: false);
        Assert.Equal(4.0 * 2 * 2 * 2048 * 2 * 1024, extra, 0);
        Assert.Equal(0, ActivationMemory.MoeDispatchBuffers(dense, 2, 1, 1, false));
        Assert.Equal(extra / 4, ActivationMemory.MoeDispatchBuffers(moe, 2, 4, 1, true), 0);
    }

    [Fact]
    public void Context_parallel_ranks_keep_one_cth_of_each_sequences_activations()
    {
        var model = new TransformerModel(32, 4096, 32, 32768, 128256, QueryGroups: 8, FlashAttention: true, Activation: FfnActivation.Swiglu);
        var one = ActivationMemory.Layer(model, 1, 8, 1, true, RecomputeMode.Selective, moe: false);
        var four = ActivationMemory.Layer(model, 1, 8, 4, true, RecomputeMode.Selective, moe: false);
        Assert.Equal(one / 4, four, 0);
    }

    [Fact]
    public void Swiglu_keeps_its_gate_and_up_outputs_a_third_more_than_gelu_of_the_same_ffn()
    {
        var gelu = new TransformerModel(1, 1024, 16, 1024, 32000, FfnHidden: 2816, FlashAttention: true);
        var swiglu = gelu with { Activation = FfnActivation.Swiglu };
        double s = 1024, h = 1024, f = 2816;
        var difference = ActivationMemory.Layer(swiglu, 1, 1, 1, false, RecomputeMode.None, false) - ActivationMemory.Layer(gelu, 1, 1, 1, false, RecomputeMode.None, false);
        Assert.Equal(2 * s * f, difference, 0);
        Assert.Equal(2 * s * h * f / h, difference, 0);
    }
}
