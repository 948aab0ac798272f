using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Topology;

public sealed class InventoryDocumentTests
{
    private const string DesignExample = """
        apiVersion: orchestrator/v1
        kind: Inventory
        metadata: { name: h100-2x8 }
        spec:
          links:
            nvlink: { bandwidth: 450, latency: 2 }
            rack:   { bandwidth: 50,  latency: 5 }
            block:  { bandwidth: 40,  latency: 8 }
          blocks:
            - name: b0
              racks:
                - { name: r0, nodes: 8, gpusPerNode: 8, gpuType: h100-80gb }
                - { name: r1, nodes: 8, gpusPerNode: 8, gpuType: h100-80gb }
        """;

    [Fact]
    public void Shorthand_racks_generate_named_nodes_of_the_given_size()
    {
        var topology = InventoryDocument.Parse(DesignExample, "example.yaml");

        Assert.Equal("h100-2x8", topology.Name);
        Assert.Equal(16, topology.Nodes.Count);
        Assert.Equal(128, topology.Devices.Count);
        Assert.Equal(2, topology.RackCount);
        Assert.Equal(1, topology.BlockCount);
        Assert.Equal(16, topology.NvlinkDomainCount);
        Assert.Equal(["b0-r0-n00", "b0-r0-n01"], topology.Nodes.Take(2).Select(n => n.Name));
        Assert.Equal("b0-r1-n07", topology.Nodes[^1].Name);
        Assert.All(topology.Nodes, n => Assert.Equal(("h100-80gb", 8, n.Name), (n.GpuType, n.GpuCount, n.NvlinkDomain)));
        Assert.Equal("b0-r1-n07/7", topology.Devices[^1].Id);
    }

    [Fact]
    public void Stated_links_are_used_and_unstated_levels_get_catalog_defaults()
    {
        var topology = InventoryDocument.Parse(DesignExample, "example.yaml");

        Assert.Equal(new LinkProfile(450, 2), topology.Links[TopologyLevel.NvlinkDomain]);
        Assert.Equal(new LinkProfile(50, 5), topology.Links[TopologyLevel.Rack]);
        Assert.Equal(new LinkProfile(40, 8), topology.Links[TopologyLevel.Block]);
        Assert.Equal(LinkDefaults.For("h100-80gb")[TopologyLevel.Cluster], topology.Links[TopologyLevel.Cluster]);
        Assert.Equal(new LinkProfile(40, 8), topology.LinkBetween("b0-r0-n00/0", "b0-r1-n00/0"));
    }

    [Fact]
    public void Explicit_node_lists_take_names_and_per_node_overrides()
    {
        const string yaml = """
            apiVersion: orchestrator/v1
            kind: Inventory
            metadata:
              name: mixed
            spec:
              blocks:
                - name: spine-a
                  racks:
                    - name: r0
                      gpuType: a100-80gb
                      gpusPerNode: 8
                      nodes:
                        - gpu-host-1
                        - { name: gpu-host-2, gpus: 4 }
                        - name: gpu-host-3.example.org
                          gpuType: H100-80GB
            """;

        var topology = InventoryDocument.Parse(yaml, "mixed.yaml");

        Assert.Equal(
            [("gpu-host-1", "a100-80gb", 8), ("gpu-host-2", "a100-80gb", 4), ("gpu-host-3.example.org", "h100-80gb", 8)],
            topology.Nodes.Select(n => (n.Name, n.GpuType, n.GpuCount)));
        Assert.Equal(20, topology.Devices.Count);
        Assert.Equal(["a100-80gb", "h100-80gb"], topology.GpuTypes);
    }

    [Fact]
    public void A_rack_wide_nvlink_domain_joins_its_nodes_into_one_domain()
    {
        const string yaml = """
            apiVersion: orchestrator/v1
            kind: Inventory
            metadata: { name: nvl }
            spec:
              blocks:
                - name: b0
                  racks:
                    - { name: r0, nodes: 18, gpusPerNode: 4, gpuType: h200-141gb, nvlinkDomain: rack }
                    - { name: r1, nodes: 2, gpusPerNode: 4, gpuType: h200-141gb, nvlinkDomain: node }
            """;

        var topology = InventoryDocument.Parse(yaml, "nvl.yaml");

        Assert.Equal(3, topology.NvlinkDomainCount);
        Assert.All(topology.Nodes.Take(18), n => Assert.Equal("b0/r0", n.NvlinkDomain));
        Assert.Equal(TopologyLevel.NvlinkDomain, topology.CommonLevel("b0-r0-n00/0", "b0-r0-n17/3"));
        Assert.Equal(TopologyLevel.Rack, topology.CommonLevel("b0-r1-n00/0", "b0-r1-n01/0"));
    }

    [Fact]
    public void Generated_names_widen_to_fit_large_racks()
    {
        const string yaml = """
            apiVersion: orchestrator/v1
            kind: Inventory
            metadata: { name: wide }
            spec:
              blocks: [ { name: b0, racks: [ { name: r0, nodes: 120, gpusPerNode: 1, gpuType: a100-40gb } ] } ]
            """;

        var topology = InventoryDocument.Parse(yaml, "wide.yaml");

        Assert.Equal("b0-r0-n000", topology.Nodes[0].Name);
        Assert.Equal("b0-r0-n119", topology.Nodes[^1].Name);
    }

    [Fact]
    public async Task Files_load_directly_and_through_the_file_source()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"inventory-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, DesignExample);
        try
        {
            var loaded = InventoryDocument.Load(path);
            var sourced = await new FileInventorySource(path).LoadAsync(CancellationToken.None);

            Assert.Equal(128, loaded.Devices.Count);
            Assert.Equal(loaded.Devices, sourced.Devices);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("h100-4x8.yaml", 256, 4, 32)]
    [InlineData("a100-2x4-slow-network.yaml", 64, 2, 8)]
    [InlineData("nvl72-like-h200.yaml", 144, 2, 2)]
    public void The_example_inventories_parse(string file, int devices, int racks, int domains)
    {
        var topology = InventoryDocument.Load(RepositoryFiles.PathOf("examples", "inventories", file));

        Assert.Equal((devices, racks, domains), (topology.Devices.Count, topology.RackCount, topology.NvlinkDomainCount));
    }
}
