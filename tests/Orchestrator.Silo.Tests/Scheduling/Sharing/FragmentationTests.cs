using Orchestrator.Silo.Scheduling.Sharing;

namespace Orchestrator.Silo.Tests.Scheduling.Sharing;

/// <summary>The FGD fragmentation measure and choice, on nodes small enough to work by hand.</summary>
public sealed class FragmentationTests
{
    // A node of type A with 8 cores free and four devices: two free, one half used, one with 0.2 left.
    private static ShareNode Node()
    {
        var node = new ShareNode("n0", "A", 8000, 0, ["n0/0", "n0/1", "n0/2", "n0/3"]);
        node.Take(new ShareTask(0, 0, 1, 500), [2]);
        node.Take(new ShareTask(0, 0, 1, 800), [3]);
        return node;
    }

    // Half the tasks want 0.3 of a device and a core; 30% two whole devices and 4 cores; 20% one device and 16 cores.
    private static readonly TargetWorkload Workload = new([
        new WorkloadShape(new ShareTask(1000, 0, 1, 300), 0.5),
        new WorkloadShape(new ShareTask(4000, 0, 2, 1000), 0.3),
        new WorkloadShape(new ShareTask(16000, 0, 1, 1000), 0.2),
    ]);

    [Fact]
    public void A_nodes_fragmentation_is_what_each_task_shape_could_not_use_weighted_by_popularity()
    {
        var node = Node();

        // 0.3 of a device: runs (three devices have 0.3); only the 0.2 left on device 3 is too small: 200.
        Assert.Equal(200, Fragmentation.ForTask(node.GpuType, node.CpuMilliFree, node.GpuFree.ToArray(), Workload.Shapes[0].Task));
        // Two whole devices: run on devices 0 and 1; the 0.5 and 0.2 left on devices 2 and 3 are fragments: 700.
        Assert.Equal(700, Fragmentation.ForTask(node.GpuType, node.CpuMilliFree, node.GpuFree.ToArray(), Workload.Shapes[1].Task));
        // 16 cores: the node has 8, the task cannot run at all, every free share is a fragment: 1000+1000+500+200.
        Assert.Equal(2700, Fragmentation.ForTask(node.GpuType, node.CpuMilliFree, node.GpuFree.ToArray(), Workload.Shapes[2].Task));
        // 0.5 x 200 + 0.3 x 700 + 0.2 x 2700 = 100 + 210 + 540.
        Assert.Equal(850, Fragmentation.Of(node, Workload), precision: 9);
    }

    [Fact]
    public void A_task_of_another_device_type_or_wanting_no_gpu_sees_every_free_share_as_fragment()
    {
        var node = Node();

        Assert.Equal(2700, Fragmentation.ForTask(node.GpuType, node.CpuMilliFree, node.GpuFree.ToArray(), new ShareTask(0, 0, 1, 100, "B")));
        Assert.Equal(2700, Fragmentation.ForTask(node.GpuType, node.CpuMilliFree, node.GpuFree.ToArray(), new ShareTask(1000, 0, 0, 0)));
    }

    [Fact]
    public void Fgd_takes_the_device_whose_share_raises_fragmentation_least()
    {
        var fgd = new FgdPolicy(Workload);
        var half = new ShareTask(0, 0, 1, 500);

        // On device 0: [500,1000,500,200] leaves one whole device, two-device tasks can no longer run:
        // 0.5 x 200 + 0.3 x 2200 + 0.2 x 2200 = 1200, an increase of 350.
        // On device 2: [1000,1000,0,200] keeps two whole devices: 0.5 x 200 + 0.3 x 200 + 0.2 x 2200 = 600, a decrease of 250.
        // As node scores: floor(100 sigmoid(-0.35)) = 41 on device 0 (or 1), floor(100 sigmoid(0.25)) = 56 on device 2.
        var (score, free) = fgd.Score(Node(), half);
        Assert.Equal(56, score);
        Assert.Equal([500], free);
        Assert.Equal(41, FgdPolicy.NodeScore(-350));
        // Changes within about 0.04 of a GPU score alike: an increase of 7 thousandths and one of 30 both score 49.
        Assert.Equal((49, 49, 50), (FgdPolicy.NodeScore(-7), FgdPolicy.NodeScore(-30), FgdPolicy.NodeScore(0)));
        var placement = fgd.Choose([Node()], half)!;
        Assert.Equal((0, 2), (placement.Node, Assert.Single(placement.Gpus)));
    }

    [Fact]
    public void The_typical_shapes_are_the_most_popular_covering_the_asked_share_of_tasks_memory_aside()
    {
        // Ten tasks: five halves (two of them with other memory: the same shape), three whole devices, a CPU-only task
        // and a rare pair of devices. 80% coverage takes halves (5) and wholes (8 of 10), renormalised over those 8.
        var tasks = Enumerable.Repeat(new ShareTask(1000, 4096, 1, 500), 3).Concat(Enumerable.Repeat(new ShareTask(1000, 8192, 1, 500), 2))
            .Concat(Enumerable.Repeat(new ShareTask(8000, 0, 1, 1000), 3))
            .Append(new ShareTask(2000, 0, 0, 0)).Append(new ShareTask(16000, 0, 2, 1000));

        var typical = TargetWorkload.Typical(tasks, 0.8);
        var all = TargetWorkload.From(tasks);

        Assert.Equal([(new ShareTask(1000, 0, 1, 500), 0.625), (new ShareTask(8000, 0, 1, 1000), 0.375)], typical.Shapes.Select(s => (s.Task, s.Popularity)));
        Assert.Equal(3, all.Shapes.Count); // every GPU shape; the CPU-only task counts but is no shape to keep room for
        Assert.Equal(0.1, all.Shapes.Single(s => s.Task.GpuCount == 2).Popularity, precision: 9);
    }
}
