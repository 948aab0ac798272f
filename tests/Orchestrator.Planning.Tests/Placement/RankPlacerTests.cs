using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

public sealed class RankPlacerTests
{
    private static readonly ClusterTopology H100 = TestClusters.Regular(blocks: 2, racksPerBlock: 2, nodesPerRack: 8, gpusPerNode: 8);

    [Fact]
    public void A_gang_that_fits_gets_a_distinct_free_device_for_every_rank()
    {
        var index = new FreeCapacityIndex(H100);
        TestClusters.OccupyNodes(index, "b0-r0-n0", "b0-r0-n3");

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 2, 2)));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(32, result.RankDevices.Count);
        Assert.Equal(32, result.DeviceIds.Distinct().Count());
        Assert.All(result.DeviceIds, id => Assert.True(index.IsFree(id)));
        Assert.Equal("h100-80gb", result.GpuType);
        Assert.Null(result.FailureReason);
    }

    [Fact]
    public void Placing_does_not_change_the_index_and_the_result_can_be_reserved()
    {
        var index = new FreeCapacityIndex(H100);
        var request = new GangRequest(new ParallelLayout(8, 4, 2));

        var first = RankPlacer.Place(index, request);
        Assert.Equal(256, index.FreeCount());
        index.MarkBusy(first.DeviceIds);
        var second = RankPlacer.Place(index, request);

        Assert.True(second.Succeeded);
        Assert.Empty(first.DeviceIds.Intersect(second.DeviceIds));
    }

    [Fact]
    public void A_gang_larger_than_what_is_free_gets_nothing_and_a_reason()
    {
        var index = new FreeCapacityIndex(H100);
        index.MarkBusy(H100.Devices.Skip(6).Select(d => d.Id));

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(1, 1, 8), "h100-80gb"));

        Assert.False(result.Succeeded);
        Assert.Empty(result.RankDevices);
        Assert.Empty(result.GroupLevels);
        Assert.Equal(
            "needs 8 h100-80gb devices in tensor groups of 1 within one NVLink domain (8 groups for layout t1·p1·d8); "
            + "h100-80gb: 6 such groups are free (6 h100-80gb devices free in all)",
            result.FailureReason);
        Assert.Throws<InvalidOperationException>(() => result.LevelOf(ParallelGroupKind.Tensor));
    }

    [Fact]
    public void Free_devices_scattered_over_domains_do_not_make_a_tensor_group()
    {
        var index = new FreeCapacityIndex(H100);
        foreach (var node in H100.Nodes) TestClusters.Occupy(index, node.Name, 4);

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 1, 2)));

        Assert.False(result.Succeeded);
        Assert.Contains("needs 16 devices of one GPU type in tensor groups of 8", result.FailureReason);
        Assert.Contains("h100-80gb: 0 such groups are free (128 h100-80gb devices free in all)", result.FailureReason);
    }

    [Fact]
    public void A_tensor_group_larger_than_any_domain_is_refused_with_that_reason()
    {
        var result = RankPlacer.Place(new FreeCapacityIndex(H100), new GangRequest(new ParallelLayout(16, 1, 1)));

        Assert.False(result.Succeeded);
        Assert.Contains("a tensor group of 16 cannot fit, the largest h100-80gb NVLink domain has 8 devices", result.FailureReason);
    }

    [Fact]
    public void Avoided_devices_are_never_used()
    {
        var index = new FreeCapacityIndex(H100);
        index.MarkBusy(H100.Devices.Where(d => !d.Node.StartsWith("b1-r1-", StringComparison.Ordinal)).Select(d => d.Id));
        var avoid = new[] { "b1-r1-n0/3", "b1-r1-n5/0", "not-a-node/1" };

        var result = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 3, 2), AvoidDeviceIds: avoid));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.DoesNotContain(result.DeviceIds, avoid.Contains);
        Assert.DoesNotContain(result.RankDevices, d => d.Node is "b1-r1-n0" or "b1-r1-n5");
        var refused = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 7, 1), AvoidDeviceIds: avoid));
        Assert.Contains("6 such groups are free (64 h100-80gb devices free in all, 2 of them avoided)", refused.FailureReason);
    }

    [Fact]
    public void The_requested_gpu_type_is_honoured_and_a_gang_never_mixes_types()
    {
        var mixed = new ClusterTopology("mixed",
            TestClusters.Nodes(1, 1, 2, 8, "a100-80gb", prefix: "a").Concat(TestClusters.Nodes(1, 1, 2, 8, "h100-80gb", prefix: "h")));
        var index = new FreeCapacityIndex(mixed);

        var h100 = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 1, 2), "H100-80GB"));
        var any = RankPlacer.Place(index, new GangRequest(new ParallelLayout(4, 1, 3)));
        var tooBig = RankPlacer.Place(index, new GangRequest(new ParallelLayout(8, 1, 3)));

        Assert.All(h100.RankDevices, d => Assert.Equal("h100-80gb", d.GpuType));
        Assert.Equal("h100-80gb", h100.GpuType);
        Assert.True(any.Succeeded);
        Assert.Single(any.RankDevices.Select(d => d.GpuType).Distinct());
        Assert.False(tooBig.Succeeded);
        Assert.Contains("a100-80gb: 2 such groups are free", tooBig.FailureReason);
        Assert.Contains("h100-80gb: 2 such groups are free", tooBig.FailureReason);
    }

    [Fact]
    public void A_gpu_type_the_cluster_lacks_fails_and_an_unknown_type_is_an_error()
    {
        var index = new FreeCapacityIndex(H100);

        var absent = RankPlacer.Place(index, new GangRequest(new ParallelLayout(1, 1, 1), "a100-40gb"));

        Assert.False(absent.Succeeded);
        Assert.Equal("needs 1 a100-40gb devices; cluster 'test' has none (it has h100-80gb)", absent.FailureReason);
        var error = Assert.Throws<ArgumentException>(() => RankPlacer.Place(index, new GangRequest(new ParallelLayout(1, 1, 1), "h900")));
        Assert.Contains("unknown GPU type 'h900'", error.Message);
    }

    [Fact]
    public void A_malformed_layout_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => RankPlacer.Place(new FreeCapacityIndex(H100), new GangRequest(new ParallelLayout(2, 1, 3, Expert: 2))));

        Assert.Contains("parallelism.expert (2) must divide parallelism.data (3)", error.Message);
    }

    [Fact]
    public void Tensor_groups_never_split_and_gangs_are_all_or_nothing_on_random_occupancies()
    {
        var random = new Random(20261126);
        var clusters = new[]
        {
            TestClusters.Regular(2, 3, 4, 8),
            TestClusters.Regular(1, 3, 6, 4, "h200-141gb", domainPerRack: true),
            new ClusterTopology("mixed", TestClusters.Nodes(1, 2, 3, 8, "a100-80gb", prefix: "a").Concat(TestClusters.Nodes(1, 2, 5, 4, "h100-80gb", prefix: "h"))),
        };
        var placed = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var topology = clusters[trial % clusters.Length];
            var index = TestClusters.RandomlyOccupied(topology, random.NextDouble() * 0.9, random);
            var layout = new ParallelLayout(1 << random.Next(4), random.Next(1, 5), random.Next(1, 9));
            var avoid = Enumerable.Range(0, random.Next(3)).Select(_ => topology.Devices[random.Next(topology.Devices.Count)].Id).ToList();

            var result = RankPlacer.Place(index, new GangRequest(layout, AvoidDeviceIds: avoid));

            var tree = index.Tree;
            if (!result.Succeeded)
            {
                // Refusal must be honest: no GPU type has enough whole tensor groups of eligible devices.
                Assert.All(tree.GpuTypes.Select((_, type) => type), type => Assert.True(
                    FreeSlots(index, type, layout.Tensor, avoid) < layout.Pipeline * layout.Data, $"trial {trial}: refused {layout} but it fits: {result.FailureReason}"));
                continue;
            }

            placed++;
            var ordinals = result.DeviceIds.Select(topology.Ordinal).ToList();
            Assert.Equal(layout.WorldSize, ordinals.Distinct().Count());
            Assert.All(ordinals, o => Assert.True(index.IsFreeAt(o)));
            Assert.DoesNotContain(result.DeviceIds, avoid.Contains);
            Assert.Single(result.RankDevices.Select(d => d.GpuType).Distinct());
            foreach (var group in ordinals.Chunk(layout.Tensor))
            {
                Assert.Single(group.Select(tree.DeviceDomain).Distinct());
            }
        }

        Assert.InRange(placed, 60, 270);
    }

    private static int FreeSlots(FreeCapacityIndex index, int type, int tensor, List<string> avoid)
    {
        var tree = index.Tree;
        var avoided = avoid.Select(index.Topology.Ordinal).ToHashSet();
        return Enumerable.Range(0, tree.DomainCount).Where(k => tree.DomainType[k] == type)
            .Sum(k => Enumerable.Range(tree.DomainFirstDevice(k), tree.DomainEndDevice(k) - tree.DomainFirstDevice(k))
                .Count(d => index.IsFreeAt(d) && !avoided.Contains(d)) / tensor);
    }
}
