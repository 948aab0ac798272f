using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

/// <summary>Where a gang lands: the smallest subtree that holds it, the fewest children inside it, best fit.</summary>
public sealed class PlacementFitTests
{
    private static readonly ClusterTopology H100 = TestClusters.Regular(blocks: 2, racksPerBlock: 2, nodesPerRack: 8, gpusPerNode: 8);

    private static IEnumerable<string> NodesOf(PlacementResult result) => result.RankDevices.Select(d => d.Node).Distinct();

    private static IEnumerable<string> RacksOf(PlacementResult result) =>
        result.RankDevices.Select(d => d.Node[..d.Node.LastIndexOf('-')]).Distinct();

    [Fact]
    public void An_empty_cluster_packs_a_gang_into_the_fewest_nodes_of_one_rack()
    {
        var result = RankPlacer.Place(new FreeCapacityIndex(H100), new GangRequest(new ParallelLayout(8, 2, 2)));

        Assert.Equal((4, 4, 1, 1), (result.NvlinkDomainsSpanned, result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
        Assert.Equal(TopologyLevel.Rack, result.SpannedLevel);
    }

    [Fact]
    public void A_small_gang_takes_the_node_with_the_smallest_hole_that_holds_it()
    {
        var index = new FreeCapacityIndex(H100);
        index.MarkBusy(H100.Devices.Where(d => d.Node is not ("b0-r1-n2" or "b1-r0-n5")).Select(d => d.Id));
        TestClusters.Occupy(index, "b1-r0-n5", 4);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(4, 1, 1)));

        Assert.Equal(["b1-r0-n5"], NodesOf(result));
        Assert.Equal(["b1-r0-n5/4", "b1-r0-n5/5", "b1-r0-n5/6", "b1-r0-n5/7"], result.DeviceIds);
    }

    [Fact]
    public void A_gang_takes_the_rack_with_the_smallest_hole_that_holds_it()
    {
        var index = new FreeCapacityIndex(H100);
        index.MarkBusy(H100.Devices.Where(d => !d.Node.StartsWith("b0-", StringComparison.Ordinal)).Select(d => d.Id));
        TestClusters.OccupyNodes(index, "b0-r0-n0", "b0-r0-n1", "b0-r0-n2", "b0-r0-n3", "b0-r0-n4");
        TestClusters.OccupyNodes(index, "b0-r1-n0", "b0-r1-n1", "b0-r1-n2");

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 1, 3)));

        Assert.Equal(["b0-r0"], RacksOf(result));
        Assert.Equal(3, result.NodesSpanned);
    }

    [Fact]
    public void On_a_fragmented_cluster_the_tighter_subtree_wins_over_the_emptier_one()
    {
        // Block b0 has 12 free nodes, split 6 + 6 over its racks; b1 has 8, all in rack r0. A gang of 8 nodes fits
        // whole in b1/r0; the emptier b0 would need two racks.
        var index = new FreeCapacityIndex(H100);
        TestClusters.OccupyNodes(index, "b0-r0-n0", "b0-r0-n1", "b0-r1-n0", "b0-r1-n1");
        TestClusters.OccupyNodes(index, [.. Enumerable.Range(0, 8).Select(n => $"b1-r1-n{n}")]);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 2, 4)));

        Assert.Equal(["b1-r0"], RacksOf(result));
        Assert.Equal((8, 1, 1), (result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
    }

    [Fact]
    public void A_gang_no_rack_holds_spreads_over_the_fewest_racks_of_one_block()
    {
        var index = new FreeCapacityIndex(H100);
        TestClusters.OccupyNodes(index, "b0-r0-n0", "b0-r0-n1", "b0-r1-n0", "b0-r1-n1", "b0-r1-n2", "b1-r0-n0", "b1-r1-n0", "b1-r1-n1", "b1-r1-n2", "b1-r1-n3");

        // 10 nodes: b0 has 6 + 5 free (11), b1 has 7 + 4 (11). Each block holds it in two racks; ties go to the earlier block.
        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 5, 2)));

        Assert.Equal((10, 2, 1), (result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
        Assert.Equal(TopologyLevel.Block, result.SpannedLevel);
    }

    [Fact]
    public void A_gang_larger_than_any_block_spans_the_fewest_blocks_and_racks()
    {
        var result = RankPlacer.Place(new FreeCapacityIndex(H100), new GangRequest(new ParallelLayout(8, 3, 8)));

        Assert.Equal((24, 3, 2), (result.NodesSpanned, result.RacksSpanned, result.BlocksSpanned));
        Assert.Equal(TopologyLevel.Cluster, result.SpannedLevel);
    }

    [Fact]
    public void The_remainder_goes_to_the_smallest_node_that_holds_it_so_bigger_holes_stay_whole()
    {
        var rack = TestClusters.Regular(blocks: 1, racksPerBlock: 1, nodesPerRack: 5, gpusPerNode: 8);
        var index = new FreeCapacityIndex(rack);
        TestClusters.Occupy(index, "b0-r0-n2", 4);
        TestClusters.Occupy(index, "b0-r0-n3", 2);
        TestClusters.Occupy(index, "b0-r0-n4", 6);

        // Free per node: 8, 8, 4, 6, 2. Ten tensor pairs: two full nodes, then the 4-hole rather than the 6-hole.
        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(2, 1, 10)));

        Assert.Equal(["b0-r0-n0", "b0-r0-n1", "b0-r0-n2"], NodesOf(result));
    }

    [Fact]
    public void Inside_a_rack_wide_nvlink_domain_the_fewest_nodes_are_used()
    {
        var nvl = TestClusters.Regular(blocks: 1, racksPerBlock: 1, nodesPerRack: 4, gpusPerNode: 4, gpuType: "h200-141gb", domainPerRack: true);
        var index = new FreeCapacityIndex(nvl);
        TestClusters.Occupy(index, "b0-r0-n1", 2);
        TestClusters.Occupy(index, "b0-r0-n3", 1);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 1, 1)));

        Assert.Equal(["b0-r0-n0", "b0-r0-n2"], NodesOf(result));
        Assert.Equal((1, 2), (result.NvlinkDomainsSpanned, result.NodesSpanned));
        Assert.Equal(TopologyLevel.NvlinkDomain, result.LevelOf(ParallelGroupKind.Tensor));
    }

    [Fact]
    public void Of_two_racks_that_hold_a_gang_the_one_needing_fewer_domains_wins()
    {
        // Rack b0/r0: four half-free nodes; rack b0/r1: two whole free nodes. Both hold four tensor groups of 4.
        var index = new FreeCapacityIndex(H100);
        index.MarkBusy(H100.Devices.Where(d => d.Node is not ("b0-r0-n0" or "b0-r0-n1" or "b0-r0-n2" or "b0-r0-n3" or "b0-r1-n0" or "b0-r1-n1")).Select(d => d.Id));
        foreach (var node in new[] { "b0-r0-n0", "b0-r0-n1", "b0-r0-n2", "b0-r0-n3" }) TestClusters.Occupy(index, node, 4);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(4, 1, 4)));

        Assert.Equal(["b0-r1-n0", "b0-r1-n1"], NodesOf(result));
    }

    [Fact]
    public void A_gang_spread_over_a_block_gathers_in_its_emptiest_racks()
    {
        // One block of three racks with 2, 2 and 6 free nodes: 8 nodes fit in two racks (r2 and one more), not three.
        var block = TestClusters.Regular(blocks: 1, racksPerBlock: 3, nodesPerRack: 8, gpusPerNode: 8);
        var index = new FreeCapacityIndex(block);
        TestClusters.OccupyNodes(index, [.. Enumerable.Range(2, 6).Select(n => $"b0-r0-n{n}"), .. Enumerable.Range(2, 6).Select(n => $"b0-r1-n{n}"), "b0-r2-n0", "b0-r2-n1"]);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 2, 4)));

        Assert.Equal((8, 2), (result.NodesSpanned, result.RacksSpanned));
        Assert.Equal(6, result.RankDevices.Select(d => d.Node).Distinct().Count(n => n.StartsWith("b0-r2-", StringComparison.Ordinal)));
    }
}
