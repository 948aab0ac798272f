using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

public sealed class FreeCapacityIndexTests
{
    private static readonly ClusterTopology Mixed = new("mixed",
        TestClusters.Nodes(1, 2, 2, 8, "h100-80gb").Concat(TestClusters.Nodes(1, 1, 2, 4, "a100-80gb", prefix: "a")));

    [Fact]
    public void A_new_index_has_every_device_free()
    {
        var index = new FreeCapacityIndex(Mixed);

        Assert.Equal(40, index.FreeCount());
        Assert.Equal(32, index.FreeCount("h100-80gb"));
        Assert.Equal(8, index.FreeCount("A100-80GB"));
        Assert.Equal(0, index.FreeCount("h200-141gb"));
        Assert.All(Mixed.Devices, d => Assert.True(index.IsFree(d.Id)));
    }

    [Fact]
    public void Marking_busy_then_free_updates_every_count()
    {
        var index = new FreeCapacityIndex(Mixed);

        index.MarkBusy(["b0-r0-n0/0", "b0-r0-n0/5", "a0-r0-n1/3"]);

        Assert.Equal(37, index.FreeCount());
        Assert.Equal(30, index.FreeCount("h100-80gb"));
        Assert.Equal(7, index.FreeCount("a100-80gb"));
        Assert.Equal(6, index.FreeInNode("b0-r0-n0"));
        Assert.False(index.IsFree("b0-r0-n0/5"));
        Assert.True(index.IsFree("b0-r0-n0/1"));

        index.MarkFree(["b0-r0-n0/5", "a0-r0-n1/3"]);

        Assert.Equal(39, index.FreeCount());
        Assert.Equal(7, index.FreeInNode("b0-r0-n0"));
        Assert.True(index.IsFree("b0-r0-n0/5"));
    }

    [Fact]
    public void A_double_reservation_is_rejected_and_changes_nothing()
    {
        var index = new FreeCapacityIndex(Mixed);
        index.MarkBusy(["b0-r0-n0/0"]);

        var error = Assert.Throws<InvalidOperationException>(() => index.MarkBusy(["b0-r0-n0/1", "b0-r0-n0/0"]));

        Assert.Contains("'b0-r0-n0/0' is already busy", error.Message);
        Assert.True(index.IsFree("b0-r0-n0/1"));
        Assert.Equal(39, index.FreeCount());
    }

    [Fact]
    public void Releasing_a_free_device_or_listing_one_twice_is_rejected()
    {
        var index = new FreeCapacityIndex(Mixed);

        Assert.Contains("already free", Assert.Throws<InvalidOperationException>(() => index.MarkFree(["b0-r0-n0/0"])).Message);
        Assert.Contains("listed twice", Assert.Throws<InvalidOperationException>(() => index.MarkBusy(["b0-r0-n0/0", "b0-r0-n0/0"])).Message);
        Assert.Equal(40, index.FreeCount());
    }

    [Fact]
    public void An_unknown_device_is_rejected_and_changes_nothing()
    {
        var index = new FreeCapacityIndex(Mixed);

        Assert.Throws<KeyNotFoundException>(() => index.MarkBusy(["b0-r0-n0/0", "b0-r0-n0/8"]));

        Assert.Equal(40, index.FreeCount());
        Assert.Throws<KeyNotFoundException>(() => index.IsFree("ghost/0"));
    }

    [Fact]
    public void A_clone_changes_independently_of_its_original()
    {
        var original = new FreeCapacityIndex(Mixed);
        var clone = original.Clone();

        clone.MarkBusy(["b0-r1-n1/2"]);
        original.MarkBusy(["a0-r0-n0/0"]);

        Assert.True(original.IsFree("b0-r1-n1/2"));
        Assert.True(clone.IsFree("a0-r0-n0/0"));
        Assert.Equal((39, 39), (original.FreeCount(), clone.FreeCount()));
        Assert.Equal((32, 31), (original.FreeCount("h100-80gb"), clone.FreeCount("h100-80gb")));
    }

    [Fact]
    public void Per_level_counts_match_a_recount_after_random_changes()
    {
        var topology = TestClusters.Regular(blocks: 2, racksPerBlock: 3, nodesPerRack: 4, gpusPerNode: 4, domainPerRack: false);
        var index = new FreeCapacityIndex(topology);
        var random = new Random(1234);
        for (var step = 0; step < 500; step++)
        {
            var picks = Enumerable.Range(0, random.Next(1, 6)).Select(_ => topology.Devices[random.Next(topology.Devices.Count)].Id).Distinct().ToList();
            var free = random.Next(2) == 0;
            var eligible = picks.Where(id => index.IsFree(id) != free).ToList();
            if (free) index.MarkFree(eligible);
            else index.MarkBusy(eligible);
        }

        var tree = index.Tree;
        var freeDevices = Enumerable.Range(0, tree.DeviceCount).Where(index.IsFreeAt).ToList();
        Assert.InRange(freeDevices.Count, 1, tree.DeviceCount - 1);
        Assert.Equal(freeDevices.Count, index.FreeCount());
        Assert.Equal(freeDevices.Count, index.FreeCount("h100-80gb"));
        for (var n = 0; n < tree.Nodes.Length; n++) Assert.Equal(freeDevices.Count(d => tree.DeviceNode[d] == n), index.NodeFree(n));
        for (var k = 0; k < tree.DomainCount; k++) Assert.Equal(freeDevices.Count(d => tree.DeviceDomain(d) == k), index.DomainFree(k));
        for (var r = 0; r < tree.RackCount; r++) Assert.Equal(freeDevices.Count(d => tree.DeviceRack(d) == r), index.RackFree(r));
        for (var b = 0; b < tree.BlockCount; b++) Assert.Equal(freeDevices.Count(d => tree.DeviceBlock(d) == b), index.BlockFree(b));
    }

    [Fact]
    public void Devices_marked_by_number_change_the_index_as_by_id_and_bad_numbers_change_nothing()
    {
        var byId = new FreeCapacityIndex(Mixed);
        var byNumber = new FreeCapacityIndex(Mixed);
        string[] ids = ["b0-r0-n0/3", "a0-r0-n1/2", "b0-r1-n1/7"];
        var numbers = ids.Select(byNumber.DeviceNumber).ToArray();

        byId.MarkBusy(ids);
        byNumber.MarkBusyAt(numbers);

        Assert.Equal(ids.Select(id => Mixed.Devices.Select(d => d.Id).ToList().IndexOf(id)), numbers);
        Assert.Equal(Mixed.Devices.Select(d => byId.IsFree(d.Id)), Enumerable.Range(0, Mixed.Devices.Count).Select(byNumber.IsFreeAt));
        Assert.Equal((byId.FreeCount("a100-80gb"), byId.FreeInNode("b0-r1-n1")), (byNumber.FreeCount("a100-80gb"), byNumber.FreeInNode("b0-r1-n1")));
        Assert.Contains("already busy", Assert.Throws<InvalidOperationException>(() => byNumber.MarkBusyAt([0, numbers[1]])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => byNumber.MarkFreeAt([numbers[0], 40]));
        Assert.Equal(37, byNumber.FreeCount());
        Assert.True(byNumber.IsFreeAt(0));
        Assert.False(byNumber.IsFreeAt(numbers[0]));

        byNumber.MarkFreeAt(numbers);
        Assert.Equal(40, byNumber.FreeCount());
    }
}
