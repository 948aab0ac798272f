using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>
/// The MoE layer's small kernels, counted from Megatron-Core's dropless all-to-all path, its host synchronisation and
/// its extra collectives, checked against counts and bytes worked out by hand for a tiny shape.
/// </summary>
public sealed class ExpertLayerCostTests
{
    private static readonly GpuModel H100 = HardwareCatalog.Get("h100-80gb");

    // 4 tokens, top-2 of 4 experts over 2 expert ranks (2 local experts), hidden 8: A = 8 routed copies.
    private const double Tokens = 4, Routed = 8, Hidden = 8;

    [Fact]
    public void The_forward_inventory_of_a_tiny_expert_parallel_layer_has_the_hand_counted_kernels_and_bytes()
    {
        var inventory = ExpertKernels.For(Tokens, Routed, Hidden, experts: 4, localExperts: 2, expertParallel: 2);
        // scores T·E·4 = 64, map T·E = 16, rows A·h·2 = 128, merged T·h·2 = 64, counts E·8 = 32.
        // Router: top-k 144, aux loss 64 + 16 + 64; tokens per expert 16; 10 split-size launches of 32; row-id map
        // 3 × 16; permute 64 + 128 + 32; sort 32 + 256, sort back 32 + 256; unpermute 128 + 64.
        double[] expected = [144, 64, 16, 64, 16, .. Enumerable.Repeat(32.0, 10), 16, 16, 16, 224, 32, 256, 32, 256, 192];
        Assert.Equal(expected, inventory.Forward);
        Assert.Equal(24, inventory.Forward.Count);
        Assert.Equal(1664, inventory.Forward.Sum());
    }

    [Fact]
    public void The_backward_inventory_mirrors_the_data_movement_without_the_split_sizes()
    {
        var inventory = ExpertKernels.For(Tokens, Routed, Hidden, experts: 4, localExperts: 2, expertParallel: 2);
        // Unpermute backward 64 + 128, two sorts of 256, permute backward 128 + 64 + 32, top-k backward 3 × 64, aux loss 64, 64.
        Assert.Equal([192, 256, 256, 224, 192, 64, 64], inventory.Backward);
    }

    [Fact]
    public void Without_expert_parallelism_and_with_one_local_expert_there_is_no_sort_and_no_split_size()
    {
        var single = ExpertKernels.For(Tokens, Routed, Hidden, experts: 4, localExperts: 1, expertParallel: 1);
        Assert.Equal(10, single.Forward.Count); // router 5, row-id map 3, permute, unpermute
        Assert.Equal(5, single.Backward.Count);
        // Several local experts on one rank still need the count on the host (one copy) but no all-to-all sort.
        var local = ExpertKernels.For(Tokens, Routed, Hidden, experts: 4, localExperts: 4, expertParallel: 1);
        Assert.Equal(11, local.Forward.Count);
    }

    [Fact]
    public void A_tiny_layer_pays_the_kernel_floor_per_small_kernel_and_one_host_sync_forward_only()
    {
        var model = new TransformerModel(2, (int)Hidden, 2, 2, 256, Moe: new MoeDescription(4, 2, ExpertFfnHidden: 16, BlockSize: 1),
            Activation: FfnActivation.Swiglu);
        var kernels = new DeviceKernels(H100, Precision.Bf16, CostModelConstants.Default);
        var links = PlanningCluster.ForGpu(H100, 2).LinksFor(new ParallelLayout(1, 1, 2, Expert: 2));
        var block = new ExpertLayerCost(model, kernels, links).Block(tensor: 1, expert: 2, Tokens, sequenceParallel: false);

        // Every kernel of this shape is below the floor: 24 forward and 7 backward kernels at 3.8 µs each.
        var computed = Routed + 2 * 1 / 2.0; // dropless padding: half a block per local expert
        var activation = kernels.Stream(3 * 2 * computed * 16);
        Assert.Equal(activation + 24 * ExpertLayerCost.QueuedKernelSeconds + ExpertLayerCost.HostSyncSeconds, block.Elementwise, 12);
        Assert.Equal(2 * activation + 7 * ExpertLayerCost.QueuedKernelSeconds, block.BackwardElementwise!.Value, 12);
        Assert.Equal(6.7e-6, ExpertLayerCost.HostSyncSeconds, 12);
        // The forward pass also all-gathers the token counts; the backward pass does not.
        Assert.True(block.AllToAll > block.BackwardAllToAll!.Value);

        // A capacity factor needs no host synchronisation before the all-to-all.
        var capped = model with { Moe = model.Moe! with { CapacityFactor = 1.0 } };
        var cappedBlock = new ExpertLayerCost(capped, kernels, links).Block(1, 2, Tokens, sequenceParallel: false);
        var cappedActivation = kernels.Stream(3 * 2 * Routed * 16);
        Assert.Equal(cappedActivation + 24 * ExpertLayerCost.QueuedKernelSeconds, cappedBlock.Elementwise, 12);
    }

    [Fact]
    public void Large_permutations_are_priced_by_their_bytes_not_the_floor()
    {
        // 8192 tokens, top-8, hidden 2048: each permutation pass moves hundreds of megabytes.
        var model = new TransformerModel(2, 2048, 16, 8192, 256, Moe: new MoeDescription(128, 8, ExpertFfnHidden: 768), Activation: FfnActivation.Swiglu);
        var kernels = new DeviceKernels(H100, Precision.Bf16, CostModelConstants.Default);
        var links = PlanningCluster.ForGpu(H100, 8).LinksFor(new ParallelLayout(1, 1, 8, Expert: 8));
        var block = new ExpertLayerCost(model, kernels, links).Block(1, 8, 8192, sequenceParallel: false);
        var inventory = ExpertKernels.For(8192, 8192 * 8, 2048, 128, 16, 8);
        var floorOnly = inventory.Forward.Count * ExpertLayerCost.QueuedKernelSeconds;
        var bytesOnly = kernels.Stream(inventory.Forward.Sum());
        var smallKernels = block.Elementwise - ExpertLayerCost.HostSyncSeconds - kernels.Stream(3 * 2 * (8192 * 8 + 16 * 64.0) * 768);
        Assert.True(smallKernels > bytesOnly && smallKernels < bytesOnly + floorOnly, $"{smallKernels} vs bytes {bytesOnly}, floor {floorOnly}");
    }

    [Fact]
    public void Expert_gradients_cross_the_node_over_one_card_per_expert_data_rank_in_the_node()
    {
        // 16 GPUs in two nodes, t1 d16 e8: the 8 data ranks of a node hold 8 different expert shards, so each expert's
        // two replicas (one per node) reduce over a single network card, not eight.
        var model = new TransformerModel(4, 4096, 32, 1024, 256, Moe: new MoeDescription(64, 2, ExpertFfnHidden: 8192), Activation: FfnActivation.Swiglu);
        var training = new TrainingShape(16, OverlapGradientReduce: false, OverlapParameterGather: false, Fp32MainGradients: false);
        var choice = new LayoutChoice(new ParallelLayout(1, 1, 16, Expert: 8), 1, ShardOptimizer: true);
        var plan = LayoutSearch.Evaluate(new PlanningRequest(model, training, PlanningCluster.ForGpuType("h100-80gb", 16)), choice);

        var expertParameters = model.Layers * StageParameterCount.ExpertPerLayer(model) / 8;
        var oneCard = H100.NetworkGBps * 1e9 * CostModelConstants.Default.CollectiveEfficiency;
        // Reduce-scatter of 16-bit gradients and all-gather of 16-bit weights among 2 replicas: half the bytes each way.
        var expertAlone = 2 * (2.0 * expertParameters / 2 / oneCard);
        Assert.True(plan.Cost.Breakdown.DataCommunicationSeconds > expertAlone,
            $"{plan.Cost.Breakdown.DataCommunicationSeconds} s, expert reduction alone over one card {expertAlone} s");
    }
}
