using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

/// <summary>
/// A gang that fits in one NVLink domain goes to the domain with the fewest free devices that holds it (best fit).
/// With nothing avoided the placer finds that domain from the index's per-type counts; avoiding a free device of a
/// domain too small for the gang anyway sends it down the general search, which must choose the same devices.
/// </summary>
public sealed class SingleDomainPlacementTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_fast_path_chooses_the_best_fit_domain_and_the_same_devices_as_the_general_search(bool domainPerRack)
    {
        var topology = TestClusters.Regular(2, 3, 4, 8, domainPerRack: domainPerRack);
        var random = new Random(5);
        var compared = 0;
        for (var round = 0; round < 200; round++)
        {
            var index = new FreeCapacityIndex(topology);
            // Each node busy to its own degree, so domains range from full to empty.
            var busy = topology.Nodes.ToDictionary(n => n.Name, _ => random.NextDouble() * 1.1);
            foreach (var device in topology.Devices.Where(d => random.NextDouble() < busy[d.Node])) index.MarkBusy([device.Id]);
            var free = topology.Devices.Where(d => index.IsFree(d.Id)).GroupBy(d => topology.GetNode(d.Node).NvlinkDomain)
                .ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToList());
            var layout = random.Next(3) switch { 0 => new ParallelLayout(1, 1, 1 + random.Next(4)), 1 => new ParallelLayout(2, 1, 1 + random.Next(2)), _ => new ParallelLayout(4, 1, 1 + random.Next(domainPerRack ? 6 : 2)) };
            var holding = free.Where(kv => kv.Value.Count >= layout.WorldSize).ToList();
            var placed = RankPlacer.Place(index, new GangRequest(layout, "h100-80gb"));
            if (holding.Count == 0) continue;

            Assert.True(placed.Succeeded, placed.FailureReason);
            var domains = placed.RankDevices.Select(d => topology.GetNode(d.Node).NvlinkDomain).Distinct().ToList();
            var chosen = Assert.Single(domains);
            Assert.Equal(holding.Min(kv => kv.Value.Count), free[chosen].Count);

            // A free device of a domain that cannot hold the gang anyway: avoiding it changes nothing but the path taken.
            var tooSmall = free.FirstOrDefault(kv => kv.Value.Count < layout.WorldSize);
            if (tooSmall.Value is null) continue;
            var general = RankPlacer.Place(index, new GangRequest(layout, "h100-80gb", [tooSmall.Value[0]]));
            Assert.Equal(placed.DeviceIds, general.DeviceIds);
            compared++;
        }

        Assert.True(compared > 20, $"only {compared} rounds compared the two paths");
    }
}
