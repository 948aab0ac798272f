using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Silo.Tests.Scheduling.Sharing;

/// <summary>Where each packing policy puts a task, and that no policy ever puts more than a whole device on one.</summary>
public sealed class SharePolicyTests
{
    private static readonly TargetWorkload Halves = new([new WorkloadShape(new ShareTask(0, 0, 1, 500), 1.0)]);

    // Two one-device nodes: x has 0.6 free (a 0.4 tenant), y is idle.
    private static List<ShareNode> XAndY()
    {
        var x = new ShareNode("x", "A", 0, 0, ["x/0"]);
        x.Take(new ShareTask(0, 0, 1, 400), [0]);
        return [x, new ShareNode("y", "A", 0, 0, ["y/0"])];
    }

    [Theory]
    // 0.3 on x leaves 0.3, too small for the workload's halves: FGD counts it as a new fragment of 300 and prefers y,
    // where 0.7 stays usable (increase 0). Best fit and first fit fill x; dot product aligns with y's larger free share.
    [InlineData("Fgd", "y")]
    [InlineData("BestFit", "x")]
    [InlineData("FirstFit", "x")]
    [InlineData("DotProduct", "y")]
    public void Policies_choose_differently_where_fragmentation_and_fit_disagree(string kind, string node)
    {
        var nodes = XAndY();
        var placement = SharePolicies.Create(Enum.Parse<SharePolicyKind>(kind), Halves).Choose(nodes, new ShareTask(0, 0, 1, 300))!;

        Assert.Equal(node, nodes[placement.Node].Name);
    }

    [Fact]
    public void Fgd_fills_a_device_exactly_where_that_leaves_nothing_behind()
    {
        var nodes = XAndY();
        nodes[0].Take(new ShareTask(0, 0, 1, 100), [0]); // x now has exactly 0.5 free

        var placement = new FgdPolicy(Halves).Choose(nodes, new ShareTask(0, 0, 1, 500))!;

        Assert.Equal("x", nodes[placement.Node].Name);
    }

    [Fact]
    public void The_random_policy_is_repeatable_for_a_seed()
    {
        var nodes = Enumerable.Range(0, 8).Select(n => new ShareNode($"n{n}", "A", 0, 0, [$"n{n}/0", $"n{n}/1"])).ToList();
        var task = new ShareTask(0, 0, 1, 100);
        IEnumerable<(int, int)> Picks(int seed)
        {
            var random = new RandomFitPolicy(seed);
            return Enumerable.Range(0, 20).Select(_ => random.Choose(nodes, task)!).Select(p => (p.Node, p.Gpus[0])).ToList();
        }

        Assert.Equal(Picks(7), Picks(7));
        Assert.True(Picks(7).Distinct().Count() > 1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Several_devices_are_only_ever_taken_whole(string kind)
    {
        var node = new ShareNode("n", "A", 0, 0, ["n/0", "n/1", "n/2", "n/3"]);
        node.Take(new ShareTask(0, 0, 1, 300), [1]);

        var placement = SharePolicies.Create(Enum.Parse<SharePolicyKind>(kind), Halves, seed: 3).Choose([node], new ShareTask(0, 0, 3, 1000))!;

        Assert.Equal([0, 2, 3], placement.Gpus.Order());
        Assert.Null(SharePolicies.Create(Enum.Parse<SharePolicyKind>(kind), Halves).Choose([node], new ShareTask(0, 0, 4, 1000)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void No_device_ever_holds_more_than_one_whole_device_and_releases_give_back_exactly_what_was_taken(string kind)
    {
        var cluster = new ShareCluster(Enumerable.Range(0, 3).Select(n => new ShareNode($"n{n}", "A", 16_000, 0, Enumerable.Range(0, 4).Select(g => $"n{n}/{g}").ToList())));
        var policy = SharePolicies.Create(Enum.Parse<SharePolicyKind>(kind), Halves, seed: 5);
        var random = new Random(11);
        var held = new List<(SharePlacement Placement, ShareTask Task)>();
        var load = new Dictionary<(int, int), int>();
        for (var step = 0; step < 600; step++)
        {
            if (held.Count > 0 && random.NextDouble() < 0.35)
            {
                var (placement, task) = held[random.Next(held.Count)];
                held.Remove((placement, task));
                cluster.Release(placement, task);
                foreach (var gpu in placement.Gpus) load[(placement.Node, gpu)] -= task.GpuMilli;
            }
            else
            {
                var task = random.NextDouble() < 0.8
                    ? new ShareTask(random.Next(0, 2000), 0, 1, random.Next(1, 1000))
                    : new ShareTask(random.Next(0, 2000), 0, random.Next(1, 3), 1000);
                if (cluster.TryPlace(task, policy) is not { } placement) continue;
                held.Add((placement, task));
                foreach (var gpu in placement.Gpus) load[(placement.Node, gpu)] = load.GetValueOrDefault((placement.Node, gpu)) + task.GpuMilli;
            }

            foreach (var ((node, gpu), milli) in load)
            {
                Assert.InRange(milli, 0, 1000);
                Assert.Equal(1000 - milli, cluster.Nodes[node].GpuFree[gpu]);
            }
        }

        foreach (var (placement, task) in held) cluster.Release(placement, task);
        Assert.All(cluster.Nodes, n => Assert.All(n.GpuFree, free => Assert.Equal(1000, free)));
        Assert.All(cluster.Nodes, n => Assert.Equal(16_000, n.CpuMilliFree));
    }

    [Fact]
    public void A_released_share_frees_only_itself_and_nothing_can_overfill_or_overfree_a_device()
    {
        var cluster = new ShareCluster([new ShareNode("n", "A", 0, 0, ["n/0", "n/1"])]);
        var first = cluster.TryPlace(new ShareTask(0, 0, 1, 300), new FirstFitPolicy())!;
        var second = cluster.TryPlace(new ShareTask(0, 0, 1, 400), new FirstFitPolicy())!;
        Assert.Equal(first.Gpus, second.Gpus);

        cluster.Release(first, new ShareTask(0, 0, 1, 300));

        Assert.Equal([600, 1000], cluster.Nodes[0].GpuFree);
        var node = cluster.Nodes[0];
        Assert.Throws<InvalidOperationException>(() => node.Take(new ShareTask(0, 0, 1, 700), [0]));
        Assert.Throws<InvalidOperationException>(() => node.Give(new ShareTask(0, 0, 1, 500), [0]));
        Assert.Equal([600, 1000], node.GpuFree);
    }

    public static TheoryData<string> Kinds() => new(SharePolicies.All.Select(k => k.ToString()));
}
