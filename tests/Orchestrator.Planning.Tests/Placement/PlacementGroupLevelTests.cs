using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

/// <summary>Rank order and the levels each kind of group crosses, on layouts whose answer is known by hand.</summary>
public sealed class PlacementGroupLevelTests
{
    // 2 blocks x 2 racks x 4 nodes x 8 GPUs = 128 devices.
    private static readonly ClusterTopology Small = TestClusters.Regular(blocks: 2, racksPerBlock: 2, nodesPerRack: 4, gpusPerNode: 8);

    [Fact]
    public void A_whole_cluster_layout_reports_the_level_each_group_kind_crosses()
    {
        // t4·p4·d8·e4: a stage is 8 tensor groups of 4 = 32 GPUs = one rack, so data groups stay in a rack, expert
        // groups (4 consecutive data ranks = 2 nodes) too, and pipelines run b0/r0 -> b0/r1 -> b1/r0 -> b1/r1.
        var result = RankPlacer.Place(new FreeCapacityIndex(Small), new GangRequest(new ParallelLayout(4, 4, 8, Expert: 4)));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Tensor));
        Assert.Equal(TopologyLevel.Rack, result.LevelOf(ParallelGroupKind.Data));
        Assert.Equal(TopologyLevel.Rack, result.LevelOf(ParallelGroupKind.Expert));
        Assert.Equal(TopologyLevel.Cluster, result.LevelOf(ParallelGroupKind.Pipeline));
        Assert.Equal((16, 16, 4, 2), (result.NvlinkDomainsSpanned, result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
        Assert.Equal(TopologyLevel.Cluster, result.SpannedLevel);
    }

    [Fact]
    public void Ranks_follow_megatron_order_tensor_fastest_then_data_then_pipeline()
    {
        var layout = new ParallelLayout(4, 4, 8);
        var result = RankPlacer.Place(new FreeCapacityIndex(Small), new GangRequest(layout));
        var racks = new[] { "b0-r0", "b0-r1", "b1-r0", "b1-r1" };

        for (var pipeline = 0; pipeline < 4; pipeline++)
        {
            for (var data = 0; data < 8; data++)
            {
                var ranks = Enumerable.Range(0, 4).Select(tensor => tensor + (4 * (data + (8 * pipeline)))).ToList();

                // One tensor group = one node; data ranks 2k and 2k+1 share a node; stage p lives in rack p.
                Assert.Single(ranks.Select(r => result.RankDevices[r].Node).Distinct());
                Assert.Equal($"{racks[pipeline]}-n{data / 2}", result.RankDevices[ranks[0]].Node);
            }
        }
    }

    [Fact]
    public void Two_stages_on_an_empty_cluster_sit_in_one_rack()
    {
        var result = RankPlacer.Place(new FreeCapacityIndex(Small), new GangRequest(new ParallelLayout(8, 2, 1)));

        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Tensor));
        Assert.Equal(TopologyLevel.Rack, result.LevelOf(ParallelGroupKind.Pipeline));
        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Data));
        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Expert));
        Assert.Equal(["b0-r0-n0", "b0-r0-n1"], result.RankDevices.Select(d => d.Node).Distinct());
    }

    [Fact]
    public void A_gang_inside_one_node_crosses_nothing()
    {
        var result = RankPlacer.Place(new FreeCapacityIndex(Small), new GangRequest(new ParallelLayout(2, 2, 2, Expert: 2)));

        Assert.All(Enum.GetValues<ParallelGroupKind>(), kind => Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(kind)));
        Assert.Equal((1, 1, 1, 1), (result.NvlinkDomainsSpanned, result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
    }

    [Fact]
    public void Data_groups_crossing_nodes_report_the_rack_while_tensor_groups_stay_in_their_domain()
    {
        var index = new FreeCapacityIndex(Small);

        // Half of every node in rack b0/r0 is busy: 4 free per node, so t4·d4 needs all four nodes of the rack.
        foreach (var node in Small.Nodes.Take(4)) TestClusters.Occupy(index, node.Name, 4);
        index.MarkBusy(Small.Devices.Skip(32).Select(d => d.Id));

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(4, 1, 4)));

        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Tensor));
        Assert.Equal(TopologyLevel.Rack, result.LevelOf(ParallelGroupKind.Data));
        Assert.All(result.RankDevices, d => Assert.InRange(d.Index, 4, 7));
    }
}
