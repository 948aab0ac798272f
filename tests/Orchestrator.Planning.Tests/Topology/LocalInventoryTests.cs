using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Topology;

public sealed class LocalInventoryTests
{
    [Fact]
    public void The_local_machine_is_one_node_of_cpu_stand_ins()
    {
        var topology = LocalInventory.Create(4);

        Assert.Equal(["local/0", "local/1", "local/2", "local/3"], topology.Devices.Select(d => d.Id));
        Assert.All(topology.Devices, d => Assert.Equal(HardwareCatalog.Cpu, d.GpuType));
        Assert.Equal((1, 1, 1), (topology.Nodes.Count, topology.NvlinkDomainCount, topology.RackCount));
        Assert.Equal(TopologyLevel.NvlinkDomain, topology.CommonLevel("local/0", "local/3"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void The_local_machine_needs_at_least_one_device(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalInventory.Create(count));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalInventorySource(count));
    }

    [Fact]
    public async Task The_local_source_loads_the_local_machine()
    {
        IInventorySource source = new LocalInventorySource(2);

        var topology = await source.LoadAsync(CancellationToken.None);

        Assert.Equal(LocalInventory.Create(2).Devices, topology.Devices);
    }

    [Fact]
    public async Task A_cancelled_load_throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LocalInventorySource(2).LoadAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FileInventorySource("any.yaml").LoadAsync(cancelled.Token));
    }
}
