using k8s;
using k8s.Models;
using Orchestrator.Kubernetes.Inventory;
using Orchestrator.Kubernetes.Tests.Fake;

namespace Orchestrator.Kubernetes.Tests.Inventory;

/// <summary>Nodes as listed from the API become the inventory and the topology the scheduler plans on.</summary>
public sealed class NodeInventoryTests
{
    private static readonly KubernetesBackendOptions Options = new();

    [Fact]
    public async Task A_thousand_node_inventory_lists_and_builds_its_topology()
    {
        await using var server = await FakeApiServer.StartAsync();
        for (var i = 0; i < 1000; i++)
            server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu($"node-{i:D4}", block: $"b{i / 256}", rack: $"r{i / 16}"));

        var list = await server.Client().CoreV1.ListNodeAsync();
        var (snapshot, topology) = NodeInventoryBuilder.Build(list.Items, Options);

        Assert.Equal(1000, snapshot.Nodes.Count);
        Assert.NotNull(topology);
        Assert.Equal(8000, topology.Devices.Count);
        Assert.Equal(4, topology.Nodes.Select(n => n.Block).Distinct().Count());
        Assert.Equal(63, topology.Nodes.Select(n => n.Rack).Distinct().Count());
        Assert.All(snapshot.Nodes, n => Assert.Equal(("h100-80gb", 8, true, "Ready"), (n.GpuType, n.GpuCount, n.Schedulable, n.Status)));
    }

    [Fact]
    public void Labels_give_the_place_and_product_of_a_node_and_its_conditions_whether_it_takes_work()
    {
        var node = TestNodes.Gpu("gpu-x", gpus: 4, block: "spine-2", rack: "leaf-7");
        node.Metadata.Labels["nvidia.com/gpu.clique"] = "nvl72-3";
        var info = NodeMapping.ToNodeInfo(node, Options);
        Assert.Equal(("spine-2", "leaf-7", "nvl72-3", "h100-80gb", 4, true), (info.Block, info.Rack, info.NvlinkDomain, info.GpuType, info.GpuCount, info.Schedulable));

        var noExecute = TestNodes.Gpu("gpu-y");
        noExecute.Spec.Taints = [new V1Taint { Key = "nvidia.com/gpu", Value = "xid-79", Effect = "NoExecute" }];
        Assert.Equal("tainted nvidia.com/gpu=xid-79:NoExecute", NodeMapping.Unavailability(noExecute));
        var preferNot = TestNodes.Gpu("gpu-z");
        preferNot.Spec.Taints = [new V1Taint { Key = "spot", Effect = "PreferNoSchedule" }];
        Assert.Null(NodeMapping.Unavailability(preferNot));
        Assert.Contains("spot:PreferNoSchedule", NodeMapping.ToNodeInfo(preferNot, Options).Status, StringComparison.Ordinal);

        var unlabeled = NodeMapping.ToNodeInfo(TestNodes.Gpu("gpu-w", product: null), Options);
        Assert.False(unlabeled.Schedulable);
        Assert.Equal("refused: no nvidia.com/gpu.product label", unlabeled.Status);
        var remapped = new KubernetesBackendOptions { GpuProducts = new() { ["NVIDIA-Mystery-9000"] = "h200-141gb" } };
        Assert.Equal("h200-141gb", NodeMapping.ToNodeInfo(TestNodes.Gpu("gpu-v", product: "NVIDIA-Mystery-9000"), remapped).GpuType);
    }
}
