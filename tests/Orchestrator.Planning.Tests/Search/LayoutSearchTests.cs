using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Search;

public sealed class LayoutSearchTests
{
    private static readonly TransformerModel Gpt13B = new(40, 5120, 40, 2048, 51200);

    private static PlanningRequest Request(int gpus, TransformerModel? model = null, int batch = 512, string gpu = "a100-80gb") =>
        new(model ?? Gpt13B, new TrainingShape(batch), PlanningCluster.ForGpuType(gpu, gpus));

    [Fact]
    public void The_best_plan_keeps_tensor_in_the_nvlink_domain_fits_and_ranks_its_alternatives()
    {
        var result = LayoutSearch.Search(Request(64));
        Assert.InRange(result.Best.Choice.Layout.Tensor, 1, 8);
        Assert.True(result.Best.Memory.Fits);
        Assert.Equal(4, result.Alternatives.Count);
        Assert.Equal(result.Alternatives.OrderBy(a => a.IterationSeconds), result.Alternatives);
        Assert.True(result.Evaluated > result.Alternatives.Count);
    }

    [Fact]
    public void Fixed_choices_are_honoured()
    {
        var request = Request(64) with
        {
            TensorParallelSize = 4,
            PipelineParallelSize = 2,
            MicroBatch = 2,
            Recompute = RecomputeMode.Selective,
            SequenceParallel = true,
            ShardOptimizer = false,
            VirtualStages = 1,
        };
        var result = LayoutSearch.Search(request);
        Assert.All([result.Best, .. result.Alternatives], plan =>
        {
            Assert.Equal(new ParallelLayout(4, 2, 8), plan.Choice.Layout);
            Assert.Equal(2, plan.Choice.MicroBatch);
            Assert.Equal(RecomputeMode.Selective, plan.Choice.Recompute);
            Assert.True(plan.Choice.SequenceParallel);
        });
        Assert.Equal(result.Best.IterationSeconds, LayoutSearch.Evaluate(request, result.Best.Choice).IterationSeconds, 12);
    }

    [Fact]
    public void Rejections_are_counted_by_reason()
    {
        // 12 heads: tensor 8 does not divide them; 16 GPUs: tensor 16 would leave the node.
        var model = new TransformerModel(12, 768, 12, 1024, 50257);
        var result = LayoutSearch.Search(Request(16, model, batch: 64));
        Assert.True(result.RejectionCounts[RejectionReason.TensorDoesNotDivideModel] >= 1);
        Assert.True(result.RejectionCounts.GetValueOrDefault(RejectionReason.TensorBeyondNvlinkDomain) + result.RejectionCounts[RejectionReason.TensorDoesNotDivideModel] >= 2);
        Assert.NotEqual(8, result.Best.Choice.Layout.Tensor);
    }

    [Fact]
    public void A_model_that_fits_no_layout_fails_with_a_message_saying_why()
    {
        var error = Assert.Throws<PlanningException>(() => LayoutSearch.Search(Request(1, new TransformerModel(96, 12288, 96, 2048, 51200), batch: 8)));
        Assert.Contains(RejectionReason.OutOfMemory, error.Message);
        Assert.Contains("1 × a100-80gb", error.Message);
        Assert.True(error.RejectionCounts[RejectionReason.OutOfMemory] > 0);
    }

    [Fact]
    public void Bad_requests_name_the_field()
    {
        var unknown = Assert.Throws<ArgumentException>(() => PlanningCluster.ForGpuType("v100-16gb", 8));
        Assert.Contains("unknown GPU type 'v100-16gb'", unknown.Message);
        Assert.Contains("h100-80gb", unknown.Message);

        var heads = Assert.Throws<ArgumentException>(() => LayoutSearch.Search(Request(8, new TransformerModel(12, 768, 10, 1024, 50257))));
        Assert.Contains("model.heads (10) must divide model.hidden (768)", heads.Message);

        var stages = Assert.Throws<ArgumentException>(() => LayoutSearch.Evaluate(Request(64), new LayoutChoice(new ParallelLayout(1, 64, 1), 8)));
        Assert.Contains("must not exceed model.layers (40)", stages.Message);

        var world = Assert.Throws<ArgumentException>(() => LayoutSearch.Search(Request(64) with { TensorParallelSize = 8, PipelineParallelSize = 2, DataParallelSize = 2 }));
        Assert.Contains("must equal resources.gpus (64)", world.Message);

        var tensor = Assert.Throws<ArgumentException>(() => LayoutSearch.Search(Request(64) with { TensorParallelSize = 3 }));
        Assert.Contains("parallelism.tensor (3) must divide resources.gpus (64)", tensor.Message);

        var fixedTensor = Assert.Throws<ArgumentException>(() => LayoutSearch.Search(Request(64, new TransformerModel(40, 5120, 20, 2048, 51200)) with { TensorParallelSize = 8 }));
        Assert.Contains("parallelism.tensor (8) must divide model.heads (20)", fixedTensor.Message);

        var fixedPipeline = Assert.Throws<ArgumentException>(() => LayoutSearch.Search(Request(64) with { PipelineParallelSize = 64 }));
        Assert.Contains("parallelism.pipeline (64) must not exceed model.layers (40)", fixedPipeline.Message);
    }

    [Fact]
    public void A_slower_network_between_nodes_predicts_a_slower_plan()
    {
        var fast = Request(64);
        var slowLinks = new Dictionary<TopologyLevel, LinkProfile>
        {
            [TopologyLevel.NvlinkDomain] = new(300, 2),
            [TopologyLevel.Cluster] = new(3, 20),
        };
        var slow = fast with { Cluster = fast.Cluster with { Links = slowLinks } };
        Assert.True(LayoutSearch.Search(slow).Best.IterationSeconds > LayoutSearch.Search(fast).Best.IterationSeconds);
    }

    [Fact]
    public void Megatron_rank_order_decides_which_level_each_group_crosses()
    {
        var cluster = PlanningCluster.ForGpuType("h100-80gb", 64) with { GpusPerRack = 32 };
        var links = cluster.LinksFor(new ParallelLayout(2, 4, 8));
        Assert.Equal(cluster.Links[TopologyLevel.NvlinkDomain], links.Tensor);
        Assert.Equal(cluster.Links[TopologyLevel.Cluster], links.Data);
        Assert.Equal(4, links.DataRanksPerNode);
        Assert.Equal(TopologyLevel.Rack, cluster.LevelSpanning(32));
        Assert.Equal(TopologyLevel.Cluster, cluster.LevelSpanning(33));
    }

    [Fact]
    public void A_moe_model_is_planned_with_expert_parallelism_drawn_from_data_ranks()
    {
        var moe = new TransformerModel(16, 2048, 16, 2048, TransformerModel.Gpt2Vocabulary, Moe: new MoeDescription(16, 2, Every: 2));
        var result = LayoutSearch.Search(Request(64, moe, batch: 256, gpu: "h100-80gb"));
        var layout = result.Best.Choice.Layout;
        Assert.Equal(0, layout.Data % layout.Expert);
        Assert.Equal(0, 16 % layout.Expert);
        Assert.Contains([result.Best, .. result.Alternatives], plan => plan.Choice.Layout.Expert > 1);
    }

    [Fact]
    public void Repricing_a_plan_with_a_fragmented_placements_links_predicts_slower()
    {
        var request = Request(64) with { TensorParallelSize = 8 };
        var plan = LayoutSearch.Search(request).Best;
        var table = request.Cluster.Links;
        var compact = GroupLinks.FromLevels(table, TopologyLevel.NvlinkDomain, TopologyLevel.Cluster, TopologyLevel.Cluster, TopologyLevel.Cluster);
        var fragmented = GroupLinks.FromLevels(table, TopologyLevel.Cluster, TopologyLevel.Cluster, TopologyLevel.Cluster, TopologyLevel.Cluster);
        var good = LayoutSearch.Evaluate(request, plan.Choice, compact);
        var bad = LayoutSearch.Evaluate(request, plan.Choice, fragmented);
        Assert.True(bad.IterationSeconds > good.IterationSeconds * 1.2);
        Assert.Equal(good.Memory, bad.Memory);
    }
}
