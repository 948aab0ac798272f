using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Tests.Integration;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>Automatic layouts are planned on the inventory's real NVLink domains and links, not the catalog's default node.</summary>
public sealed class AutoLayoutInventoryTests(ITestOutputHelper output)
{
    [Fact]
    public void On_an_nvl72_inventory_the_automatic_layout_uses_a_tensor_group_wider_than_a_default_node()
    {
        // 144 H100-class devices in two NVLink domains of 72 (18 four-GPU trays per rack), as an NVL72 inventory describes them.
        var nodes = Enumerable.Range(0, 36).Select(i => new NodeDescription($"tray-{i}", "b0", $"r{i / 18}", $"nvl-{i / 18}", "h100-80gb", 4));
        var spec = TestJobs.Tiny("wide", gpus: 144, gpuType: "h100-80gb") with
        {
            Model = new ModelSpec("gpt", 126, 16384, 128, 8192, 128256, Ffn: 53248, Attention: new AttentionSpec(QueryGroups: 8), Activation: "swiglu", UntiedEmbeddings: true),
            Training = new TrainingSpec(16, 100, new OptimizerSpec()),
            Parallelism = ParallelismSpec.Automatic,
        };

        var plain = new AutoLayoutChooser().For("job", spec)(144);
        var chooser = new AutoLayoutChooser { Topology = new ClusterTopology("nvl72", nodes) };
        var onInventory = chooser.For("job", spec)(144);
        output.WriteLine($"default node: {plain?.Layout} {plain?.EstimatedRuntime}; NVL72 inventory: {onInventory?.Layout} {onInventory?.EstimatedRuntime}");

        Assert.NotNull(plain);
        Assert.NotNull(onInventory);
        Assert.InRange(plain.Layout.Tensor, 1, 8);
        Assert.True(onInventory.Layout.Tensor > 8, $"expected a tensor group wider than 8 on NVL72, got {onInventory.Layout}");
        Assert.True(onInventory.EstimatedRuntime < plain.EstimatedRuntime);
        Assert.Equal(1, onInventory.Layout.Context);
    }
}
