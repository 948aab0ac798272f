using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Placement;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Placement;

/// <summary>
/// <see cref="RankPlacer.Fits"/> is the scheduler's cheap yes-or-no (a reservation's binary search decides on it): it
/// must answer exactly as <see cref="RankPlacer.Place"/> succeeds, or the search would settle on another end.
/// </summary>
public sealed class RankPlacerFitsTests
{
    [Fact]
    public void Fits_answers_as_placement_succeeds_on_random_occupancies_layouts_types_and_avoid_lists()
    {
        var random = new Random(20261206);
        var clusters = new[]
        {
            TestClusters.Regular(2, 3, 4, 8),
            TestClusters.Regular(1, 3, 6, 4, "h200-141gb", domainPerRack: true),
            new ClusterTopology("mixed", TestClusters.Nodes(1, 2, 3, 8, "a100-80gb", prefix: "a").Concat(TestClusters.Nodes(1, 2, 5, 4, "h100-80gb", prefix: "h"))),
        };
        string?[] types = [null, "h100-80gb", "a100-80gb", "h200-141gb"];
        var (fits, refusals) = (0, 0);
        for (var trial = 0; trial < 600; trial++)
        {
            var topology = clusters[trial % clusters.Length];
            var index = TestClusters.RandomlyOccupied(topology, random.NextDouble(), random);
            var layout = new ParallelLayout(1 << random.Next(5), random.Next(1, 5), random.Next(1, 9));
            var avoid = Enumerable.Range(0, random.Next(4) == 0 ? random.Next(1, 24) : 0)
                .Select(_ => topology.Devices[random.Next(topology.Devices.Count)].Id).ToList();
            var request = new GangRequest(layout, types[random.Next(types.Length)], avoid);

            var placed = RankPlacer.Place(index, request);

            Assert.True(placed.Succeeded == RankPlacer.Fits(index, request),
                $"trial {trial}: {layout} on {topology.Name} ({index.FreeCount()} free, {avoid.Count} avoided, type {request.GpuType ?? "any"}): placement {(placed.Succeeded ? "succeeded" : $"failed ({placed.FailureReason})")} but Fits said otherwise");
            (fits, refusals) = placed.Succeeded ? (fits + 1, refusals) : (fits, refusals + 1);
        }

        // Both answers must be well exercised, or agreement says little.
        Assert.InRange(fits, 100, 500);
        Assert.InRange(refusals, 100, 500);
    }

    [Fact]
    public void Fits_refuses_malformed_requests_as_placement_does()
    {
        var index = new FreeCapacityIndex(TestClusters.Regular(1, 1, 2, 8));

        Assert.Throws<ArgumentException>(() => RankPlacer.Fits(index, new GangRequest(new ParallelLayout(2, 1, 3, Expert: 2))));
        Assert.Throws<ArgumentException>(() => RankPlacer.Fits(index, new GangRequest(new ParallelLayout(1, 1, 1), "no-such-gpu")));
        Assert.False(RankPlacer.Fits(index, new GangRequest(new ParallelLayout(1, 1, 1), "a100-80gb")));
    }
}
