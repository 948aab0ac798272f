using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Tests.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Topology;

public sealed class ClusterTopologyTests
{
    private static readonly ClusterTopology TwoByTwo = TestClusters.Regular(blocks: 2, racksPerBlock: 2, nodesPerRack: 2, gpusPerNode: 4);

    [Theory]
    [InlineData("b0-r0-n0/0", "b0-r0-n0/0", TopologyLevel.NvlinkDomain)]
    [InlineData("b0-r0-n0/0", "b0-r0-n0/3", TopologyLevel.NvlinkDomain)]
    [InlineData("b0-r0-n0/0", "b0-r0-n1/0", TopologyLevel.Rack)]
    [InlineData("b0-r0-n0/0", "b0-r1-n0/0", TopologyLevel.Block)]
    [InlineData("b0-r0-n0/0", "b1-r0-n0/0", TopologyLevel.Cluster)]
    [InlineData("b1-r1-n1/3", "b0-r1-n1/3", TopologyLevel.Cluster)]
    public void Common_level_is_the_innermost_level_holding_both_devices(string a, string b, TopologyLevel expected)
    {
        Assert.Equal(expected, TwoByTwo.CommonLevel(a, b));
        Assert.Equal(expected, TwoByTwo.CommonLevel(TwoByTwo.GetDevice(b), TwoByTwo.GetDevice(a)));
    }

    [Fact]
    public void Nodes_sharing_an_nvlink_domain_talk_over_nvlink()
    {
        var nvl = TestClusters.Regular(blocks: 1, racksPerBlock: 2, nodesPerRack: 3, gpusPerNode: 4, gpuType: "h200-141gb", domainPerRack: true);

        Assert.Equal(2, nvl.NvlinkDomainCount);
        Assert.Equal(TopologyLevel.NvlinkDomain, nvl.CommonLevel("b0-r0-n0/0", "b0-r0-n2/3"));
        Assert.Equal(TopologyLevel.Block, nvl.CommonLevel("b0-r0-n0/0", "b0-r1-n0/0"));
    }

    [Fact]
    public void Link_between_two_devices_is_the_link_of_their_common_level()
    {
        var links = new Dictionary<TopologyLevel, LinkProfile>
        {
            [TopologyLevel.NvlinkDomain] = new(400, 1),
            [TopologyLevel.Rack] = new(40, 4),
            [TopologyLevel.Block] = new(30, 6),
            [TopologyLevel.Cluster] = new(10, 20),
        };
        var topology = new ClusterTopology("links", TestClusters.Nodes(2, 2, 2, 4, "h100-80gb"), links);

        Assert.Equal(new LinkProfile(400, 1), topology.LinkBetween("b0-r0-n0/0", "b0-r0-n0/1"));
        Assert.Equal(new LinkProfile(40, 4), topology.LinkBetween("b0-r0-n0/0", "b0-r0-n1/1"));
        Assert.Equal(new LinkProfile(30, 6), topology.LinkBetween("b0-r0-n0/0", "b0-r1-n1/1"));
        Assert.Equal(new LinkProfile(10, 20), topology.LinkBetween(topology.GetDevice("b0-r0-n0/0"), topology.GetDevice("b1-r0-n0/0")));
    }

    [Fact]
    public void Default_links_come_from_the_catalog_with_latency_growing_outward()
    {
        var h100 = HardwareCatalog.Get("h100-80gb");

        Assert.Equal(h100.NvlinkGBps, TwoByTwo.Links[TopologyLevel.NvlinkDomain].BandwidthGBps);
        Assert.All(new[] { TopologyLevel.Node, TopologyLevel.Rack, TopologyLevel.Block, TopologyLevel.Cluster },
            level => Assert.Equal(h100.NetworkGBps, TwoByTwo.Links[level].BandwidthGBps));
        var latencies = Enum.GetValues<TopologyLevel>().Select(l => TwoByTwo.Links[l].LatencyMicroseconds).ToList();
        Assert.Equal(latencies.Order(), latencies);
        Assert.Equal(latencies.Count, latencies.Distinct().Count());
    }

    [Fact]
    public void Default_links_of_a_mixed_cluster_take_the_slowest_model()
    {
        var topology = new ClusterTopology("mixed",
            TestClusters.Nodes(1, 1, 1, 8, "h100-80gb").Concat(TestClusters.Nodes(1, 1, 1, 8, "a100-40gb", prefix: "a")));

        Assert.Equal(300, topology.Links[TopologyLevel.NvlinkDomain].BandwidthGBps);
        Assert.Equal(25, topology.Links[TopologyLevel.Cluster].BandwidthGBps);
    }

    [Fact]
    public void Devices_are_listed_in_tree_order_whatever_the_node_order()
    {
        var nodes = TestClusters.Nodes(2, 2, 2, 2, "a100-80gb").ToList();
        var interleaved = new ClusterTopology("x", [nodes[0], nodes[4], nodes[2], nodes[7], nodes[1], nodes[5], nodes[3], nodes[6]]);

        var racks = interleaved.Devices.Select(d => interleaved.GetNode(d.Node)).Select(n => $"{n.Block}/{n.Rack}").ToList();
        var runs = racks.Where((rack, i) => i == 0 || rack != racks[i - 1]).ToList();
        Assert.Equal(["b0/r0", "b0/r1", "b1/r0", "b1/r1"], runs);
        Assert.Equal(["b0-r0-n0/0", "b0-r0-n0/1", "b0-r0-n1/0"], interleaved.Devices.Take(3).Select(d => d.Id));
    }

    [Fact]
    public void Devices_are_found_by_node_slash_index_ids()
    {
        Assert.Equal(new GpuDevice("b1-r0-n1", 2, "h100-80gb"), TwoByTwo.GetDevice("b1-r0-n1/2"));
        Assert.Equal("b1-r0-n1/2", TwoByTwo.GetDevice("b1-r0-n1/2").Id);
        Assert.False(TwoByTwo.TryGetDevice("b1-r0-n1/4", out _));
        Assert.False(TwoByTwo.TryGetDevice("b1-r0-n1/-1", out _));
        Assert.False(TwoByTwo.TryGetDevice("nowhere/0", out _));
        Assert.False(TwoByTwo.TryGetDevice("b1-r0-n1", out _));
        Assert.Throws<KeyNotFoundException>(() => TwoByTwo.GetDevice("b1-r0-n1/9"));
    }

    public static TheoryData<NodeDescription[], string> BadNodes() => new()
    {
        { [], "at least one node" },
        { [new("a/b", "b", "r", "a", "h100-80gb", 8)], "must not contain '/'" },
        { [new("a", "b", "r", "a", "h100-80gb", 0)], "GPU count must be at least 1, got 0" },
        { [new("a", "b", "r", "a", "h900", 8)], "unknown GPU type 'h900'" },
        { [new("a", "b", "r", "a", "h100-80gb", 8), new("a", "b", "r", "a2", "h100-80gb", 8)], "node 'a' appears twice" },
        { [new("a", "b", "r", "", "h100-80gb", 8)], "NVLink domain must not be empty" },
        { [new("a", "b", "r0", "d", "h100-80gb", 8), new("c", "b", "r1", "d", "h100-80gb", 8)], "NVLink domain 'd' spans racks" },
        { [new("a", "b", "r0", "d", "h100-80gb", 8), new("c", "b", "r0", "d", "a100-80gb", 8)], "NVLink domain 'd' mixes GPU types" },
    };

    [Theory]
    [MemberData(nameof(BadNodes))]
    public void Malformed_nodes_are_rejected_with_the_reason(NodeDescription[] nodes, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology("bad", nodes));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Links_with_no_bandwidth_are_rejected()
    {
        var links = new Dictionary<TopologyLevel, LinkProfile> { [TopologyLevel.Rack] = new(0, 5) };

        var error = Assert.Throws<ArgumentException>(() => new ClusterTopology("bad", TestClusters.Nodes(1, 1, 1, 8, "h100-80gb"), links));

        Assert.Contains("link Rack: bandwidth must be a positive number", error.Message);
    }

    [Fact]
    public void Gpu_types_are_normalised_to_catalog_names()
    {
        var topology = new ClusterTopology("case", [new NodeDescription("n", "b", "r", "n", "H100-80GB", 2)]);

        Assert.Equal("h100-80gb", topology.Devices[0].GpuType);
        Assert.Equal(["h100-80gb"], topology.GpuTypes);
    }

    [Fact]
    public void Default_links_need_known_gpu_types()
    {
        Assert.Contains("unknown GPU type 'tpu'", Assert.Throws<ArgumentException>(() => LinkDefaults.For("tpu")).Message);
        Assert.Throws<ArgumentException>(() => LinkDefaults.For(Array.Empty<string>()));
    }
}
