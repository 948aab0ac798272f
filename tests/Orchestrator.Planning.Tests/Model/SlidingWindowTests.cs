using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Model;

/// <summary>Sliding-window attention (GPT-OSS: 128 tokens every other layer) and Megatron's even pipeline split.</summary>
public sealed class SlidingWindowTests
{
    private static readonly GpuModel H100 = HardwareCatalog.Get("h100-80gb");

    private static readonly TransformerModel Full = new(36, 2880, 64, 4096, 201088, QueryGroups: 8, HeadDimension: 64,
        Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);

    private static readonly TransformerModel Windowed = Full with { SlidingWindow = 128, SlidingWindowEvery = 2 };

    [Fact]
    public void Every_other_layer_is_windowed()
    {
        Assert.Equal(0, Full.WindowedLayers);
        Assert.Equal(18, Windowed.WindowedLayers);
    }

    [Fact]
    public void Windowed_layers_count_only_the_pairs_inside_the_window_but_pay_for_whole_tiles()
    {
        var saved = Full.LayerForwardFlopsPerSequence(attentionCoreOnly: true, causalAttention: true) -
                    Windowed.LayerForwardFlopsPerSequence(attentionCoreOnly: true, causalAttention: true);
        // 18 layers go from 2·s²·width to 4·s·(window keys)·width.
        var width = 64.0 * 64;
        Assert.Equal(18 * (2.0 * 4096 * 4096 - 4.0 * 4096 * (128 - 128.0 * 127 / 8192)) * width, saved, 0);

        // Equal stages, so both models' slowest stage holds the same layers.
        var choice = new LayoutChoice(new ParallelLayout(1, 4, 2), 1, EvenStages: true);
        var request = new PlanningRequest(Full, new TrainingShape(16), PlanningCluster.ForGpuType("h100-80gb", 8));
        var full = LayoutSearch.Evaluate(request, choice).Cost.Breakdown.AttentionSeconds;
        var windowed = LayoutSearch.Evaluate(request with { Model = Windowed }, choice).Cost.Breakdown.AttentionSeconds;
        // Half the layers keep their attention; the other half compute two 128 × 128 key tiles per query tile (252 keys
        // per query instead of 2,048 causal pairs), at the unmasked 512-token rate (335 forward, 266 backward, against
        // 363 and 371 causal at 4K): about (1 + 0.13) / 2 of the time.
        Assert.InRange(windowed / full, 0.55, 0.6);
    }

    [Fact]
    public void A_window_and_its_period_must_be_positive_and_the_period_at_most_the_layers()
    {
        Assert.Contains((Full with { SlidingWindow = 0 }).Validate(), e => e.StartsWith("model.slidingWindow ", StringComparison.Ordinal));
        Assert.Contains((Windowed with { SlidingWindowEvery = 0 }).Validate(), e => e.StartsWith("model.slidingWindowEvery", StringComparison.Ordinal));
        Assert.Contains((Windowed with { SlidingWindowEvery = 37 }).Validate(), e => e.StartsWith("model.slidingWindowEvery", StringComparison.Ordinal));
        Assert.Empty(Windowed.Validate());
    }

    [Fact]
    public void Even_stages_give_the_output_layers_stage_as_many_layers_as_the_others_and_it_becomes_the_slowest()
    {
        // The planner's own split unloads the last stage of a 201K-vocabulary model; Megatron's default does not.
        var planned = StageSplit.For(Full, 4, 1, RecomputeMode.None);
        var even = StageSplit.For(Full, 4, 1, RecomputeMode.None, evenStages: true);
        Assert.True(planned.LastStageLayers < 9);
        Assert.Equal([9, 9, 9, 9], even.PerStage());

        var request = new PlanningRequest(Full, new TrainingShape(64), PlanningCluster.ForGpuType("h100-80gb", 8));
        var choice = new LayoutChoice(new ParallelLayout(1, 4, 2), 1);
        var unloaded = LayoutSearch.Evaluate(request, choice);
        var evenPlan = LayoutSearch.Evaluate(request, choice with { EvenStages = true });
        Assert.True(evenPlan.IterationSeconds > unloaded.IterationSeconds);
        Assert.Contains((choice with { EvenStages = true, Layout = new ParallelLayout(1, 8, 1) }).Validate(Full, new TrainingShape(64)),
            e => e.StartsWith("parallelism.evenStages", StringComparison.Ordinal));
    }
}
