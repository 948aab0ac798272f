using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Topology;
using Xunit.Abstractions;

namespace Orchestrator.Planning.Tests.Cost;

public sealed class CostModelTests(ITestOutputHelper output)
{
    private static readonly GpuModel A100 = HardwareCatalog.Get("a100-80gb");
    private static readonly TransformerModel Gpt175 = new(96, 12288, 96, 2048, 51200, Precision: Precision.Fp16, FlashAttention: false);
    private static readonly TrainingShape Batch = new(64, OverlapGradientReduce: false);
    private static readonly CostModel Model = new();

    private static IterationEstimate Estimate(LayoutChoice choice, TransformerModel? model = null, TrainingShape? training = null, GroupLinks? links = null) =>
        Model.Estimate(model ?? Gpt175, training ?? Batch, choice, A100, links ?? PlanningCluster.ForGpu(A100, choice.Layout.WorldSize).LinksFor(choice.Layout));

    private static LayoutChoice Pipeline(int virtualStages = 1, PipelineSchedule schedule = PipelineSchedule.OneForwardOneBackward) =>
        new(new ParallelLayout(8, 8, 1, 1, virtualStages), 1, RecomputeMode.Full, Schedule: virtualStages > 1 ? PipelineSchedule.Interleaved : schedule);

    [Fact]
    public void The_breakdown_adds_up_to_the_iteration_time()
    {
        var estimate = Estimate(Pipeline());
        Assert.Equal(estimate.IterationSeconds, estimate.Breakdown.Parts().Sum(p => p.Value), 9);
        Assert.All(estimate.Breakdown.Parts(), p => Assert.True(p.Value >= 0, p.Key));
    }

    [Fact]
    public void Interleaving_shrinks_the_bubble_by_the_number_of_chunks_and_2bw_has_none()
    {
        var oneFOneB = Estimate(Pipeline());
        var interleaved = Estimate(Pipeline(virtualStages: 3));
        var gpipe = Estimate(Pipeline(schedule: PipelineSchedule.GPipe));
        var twoBw = Estimate(Pipeline(schedule: PipelineSchedule.PipeDream2BW));

        Assert.Equal(oneFOneB.Breakdown.PipelineBubbleSeconds / 3, interleaved.Breakdown.PipelineBubbleSeconds, oneFOneB.Breakdown.PipelineBubbleSeconds * 0.02);
        Assert.Equal(oneFOneB.Breakdown.PipelineBubbleSeconds, gpipe.Breakdown.PipelineBubbleSeconds);
        Assert.Equal(0, twoBw.Breakdown.PipelineBubbleSeconds);
        Assert.True(interleaved.Breakdown.PipelineCommunicationSeconds > oneFOneB.Breakdown.PipelineCommunicationSeconds);
        Assert.InRange(oneFOneB.BubbleFraction, 7.0 / (64 + 7) * 0.9, 7.0 / (64 + 7) * 1.1);
    }

    [Fact]
    public void Recomputation_costs_full_over_selective_over_none()
    {
        var none = Estimate(Pipeline() with { Recompute = RecomputeMode.None });
        var selective = Estimate(Pipeline() with { Recompute = RecomputeMode.Selective });
        var full = Estimate(Pipeline());
        Assert.Equal(0, none.Breakdown.RecomputeSeconds);
        Assert.True(selective.Breakdown.RecomputeSeconds > 0);
        Assert.True(none.IterationSeconds < selective.IterationSeconds && selective.IterationSeconds < full.IterationSeconds);
        Assert.True(full.HardwareTflopsPerGpu > full.ModelTflopsPerGpu);
    }

    [Fact]
    public void Sequence_parallelism_splits_the_elementwise_work_across_the_tensor_group()
    {
        var plain = Estimate(Pipeline() with { Recompute = RecomputeMode.Selective });
        var sequenceParallel = Estimate(Pipeline() with { Recompute = RecomputeMode.Selective, SequenceParallel = true });
        Assert.True(sequenceParallel.Breakdown.ElementwiseSeconds < plain.Breakdown.ElementwiseSeconds / 2);
        Assert.True(sequenceParallel.IterationSeconds < plain.IterationSeconds);
    }

    [Fact]
    public void Tensor_traffic_over_the_network_instead_of_nvlink_predicts_slower()
    {
        var choice = Pipeline();
        var links = new Dictionary<TopologyLevel, LinkProfile>
        {
            [TopologyLevel.NvlinkDomain] = new(300, 2),
            [TopologyLevel.Rack] = new(25, 5),
        };
        var placed = GroupLinks.FromLevels(links, TopologyLevel.NvlinkDomain, TopologyLevel.Rack, TopologyLevel.Rack, TopologyLevel.Rack);
        var fragmented = GroupLinks.FromLevels(links, TopologyLevel.Rack, TopologyLevel.Rack, TopologyLevel.Rack, TopologyLevel.Rack);
        var good = Estimate(choice, links: placed);
        var bad = Estimate(choice, links: fragmented);
        Assert.True(bad.Breakdown.TensorCommunicationSeconds > 5 * good.Breakdown.TensorCommunicationSeconds);
        Assert.True(bad.IterationSeconds > good.IterationSeconds);
    }

    [Fact]
    public void A_slower_data_parallel_link_and_no_overlap_expose_more_gradient_reduction()
    {
        var choice = new LayoutChoice(new ParallelLayout(8, 1, 4), 1, RecomputeMode.Full);
        var model = new TransformerModel(40, 6144, 48, 2048, 51200);
        var links = new Dictionary<TopologyLevel, LinkProfile> { [TopologyLevel.NvlinkDomain] = new(300, 2), [TopologyLevel.Cluster] = new(25, 5) };
        var slowLinks = new Dictionary<TopologyLevel, LinkProfile> { [TopologyLevel.NvlinkDomain] = new(300, 2), [TopologyLevel.Cluster] = new(5, 10) };
        GroupLinks Links(Dictionary<TopologyLevel, LinkProfile> table) =>
            GroupLinks.FromLevels(table, TopologyLevel.NvlinkDomain, TopologyLevel.NvlinkDomain, TopologyLevel.Cluster, TopologyLevel.Cluster);

        var fast = Estimate(choice, model, new TrainingShape(16, OverlapGradientReduce: false), Links(links));
        var slow = Estimate(choice, model, new TrainingShape(16, OverlapGradientReduce: false), Links(slowLinks));
        var overlapped = Estimate(choice, model, new TrainingShape(16, OverlapGradientReduce: true), Links(links));
        Assert.True(slow.Breakdown.DataCommunicationSeconds > 4 * fast.Breakdown.DataCommunicationSeconds);
        Assert.True(overlapped.Breakdown.DataCommunicationSeconds < fast.Breakdown.DataCommunicationSeconds);
    }

    [Fact]
    public void Moe_pays_top_k_expert_flops_dropless_padding_and_an_all_to_all_over_the_expert_link()
    {
        var moeModel = new TransformerModel(8, 2048, 16, 2048, 50257, Moe: new MoeDescription(16, 1, Every: 1));
        var training = new TrainingShape(64);
        var choice = new LayoutChoice(new ParallelLayout(1, 1, 16, Expert: 8), 1, RecomputeMode.Selective);
        var links = PlanningCluster.ForGpu(A100, 16).LinksFor(choice.Layout);
        var topOne = Estimate(choice, moeModel, training, links);
        var topTwo = Estimate(choice, moeModel with { Moe = new MoeDescription(16, 2) }, training, links);
        var capacity = Estimate(choice, moeModel with { Moe = new MoeDescription(16, 1, CapacityFactor: 2.0) }, training, links);
        var slowExpertLinks = links with { Expert = new LinkProfile(5, 10) };
        var slowExperts = Estimate(choice, moeModel, training, slowExpertLinks);

        Assert.True(topOne.Breakdown.ExpertCommunicationSeconds > 0);
        Assert.True(topTwo.Breakdown.GemmSeconds > topOne.Breakdown.GemmSeconds * 1.3);
        Assert.True(capacity.Breakdown.GemmSeconds > topOne.Breakdown.GemmSeconds);
        Assert.True(slowExperts.Breakdown.ExpertCommunicationSeconds > 2 * topOne.Breakdown.ExpertCommunicationSeconds);
        Assert.Equal(0, Estimate(choice with { Layout = new ParallelLayout(1, 1, 16) }, moeModel, training).Breakdown.ExpertCommunicationSeconds);
    }

    [Fact]
    public void Layers_that_do_not_divide_are_split_unevenly_with_the_last_stage_lighter()
    {
        var model = new TransformerModel(30, 4096, 32, 2048, 51200);
        var estimate = Estimate(new LayoutChoice(new ParallelLayout(8, 4, 1), 1, RecomputeMode.Full), model, new TrainingShape(32));
        Assert.Equal(30, estimate.LayersPerStage.Sum());
        Assert.Equal(4, estimate.LayersPerStage.Count);
        Assert.True(estimate.LayersPerStage[^1] <= estimate.LayersPerStage[0]);
    }

    [Fact]
    public void A_22b_layer_takes_about_what_korthikanti_table4_measured()
    {
        // Korthikanti et al. 2022, Table 4: one 22B layer (t = 8, b = 4) forward 7.7 ms and backward 11.9 ms;
        // with sequence parallelism 7.2 and 11.8 ms. Loose bounds: the model is calibrated on whole iterations.
        var model = new TransformerModel(48, 6144, 64, 2048, 51200, Precision: Precision.Fp16, FlashAttention: false);
        var layout = new ParallelLayout(8, 1, 1);
        var links = PlanningCluster.ForGpu(A100, 8).LinksFor(layout);
        var calculator = new LayerCostCalculator(model, new DeviceKernels(A100, Precision.Fp16, CostModelConstants.Default), links, overlapTensorCommunication: false);
        var plain = calculator.Layer(8, 1, 1, 4, sequenceParallel: false, moe: false);
        var sequenceParallel = calculator.Layer(8, 1, 1, 4, sequenceParallel: true, moe: false);
        output.WriteLine($"forward {plain.Forward.Total * 1e3:F2} ms, backward {plain.Backward.Total * 1e3:F2} ms, attention core {plain.AttentionCore.Total * 1e3:F2} ms; " +
                         $"sequence parallel: forward {sequenceParallel.Forward.Total * 1e3:F2} ms, backward {sequenceParallel.Backward.Total * 1e3:F2} ms");
        Assert.InRange(plain.Forward.Total * 1e3, 7.7 * 0.85, 7.7 * 1.15);
        Assert.InRange(plain.Backward.Total * 1e3, 11.9 * 0.85, 11.9 * 1.15);
        Assert.InRange(sequenceParallel.Forward.Total * 1e3, 7.2 * 0.85, 7.2 * 1.15);
        Assert.True(sequenceParallel.Forward.Total < plain.Forward.Total);
    }

    [Fact]
    public void Invalid_choices_and_constants_are_rejected_naming_the_field()
    {
        var tooManyStages = new LayoutChoice(new ParallelLayout(1, 128, 1), 1);
        var error = Assert.Throws<ArgumentException>(() => Estimate(tooManyStages));
        Assert.Contains("parallelism.pipeline", error.Message);
        var tensor = Assert.Throws<ArgumentException>(() => Estimate(new LayoutChoice(new ParallelLayout(5, 1, 1), 1)));
        Assert.Contains("parallelism.tensor (5) must divide model.heads (96)", tensor.Message);
        Assert.Throws<ArgumentException>(() => new CostModel(new CostModelConstants(GemmPeakEfficiency: 1.2)));
        Assert.Throws<ArgumentException>(() => new CostModel(new CostModelConstants(CollectiveEfficiency: 0)));
    }

    [Fact]
    public void A_missing_topology_level_takes_the_next_outer_one()
    {
        var links = new Dictionary<TopologyLevel, LinkProfile> { [TopologyLevel.NvlinkDomain] = new(450, 2), [TopologyLevel.Block] = new(50, 8) };
        Assert.Equal(new LinkProfile(50, 8), GroupLinks.Resolve(links, TopologyLevel.Rack));
        Assert.Equal(new LinkProfile(450, 2), GroupLinks.Resolve(links, TopologyLevel.NvlinkDomain));
        var error = Assert.Throws<ArgumentException>(() => GroupLinks.Resolve(links, TopologyLevel.Cluster));
        Assert.Contains("Cluster", error.Message);
    }

    [Fact]
    public void Flash_attention_removes_the_score_traffic_of_long_sequences()
    {
        var model = new TransformerModel(32, 4096, 32, 8192, 50257, FlashAttention: false);
        var choice = new LayoutChoice(new ParallelLayout(8, 1, 1), 1, RecomputeMode.Selective, SequenceParallel: true);
        var training = new TrainingShape(8);
        var unfused = Estimate(choice, model, training);
        var flash = Estimate(choice, model with { FlashAttention = true }, training);
        Assert.True(flash.Breakdown.AttentionSeconds < unfused.Breakdown.AttentionSeconds / 2);
        Assert.True(flash.IterationSeconds < unfused.IterationSeconds);
        Assert.Equal(unfused.Breakdown.GemmSeconds, flash.Breakdown.GemmSeconds, 12);
    }
}
