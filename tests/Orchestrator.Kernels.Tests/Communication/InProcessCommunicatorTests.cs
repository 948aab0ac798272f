using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Communication;

public sealed class InProcessCommunicatorTests
{
    private readonly InProcessWorld Four = new(new ParallelGrid(DataParallelSize: 4));

    [Theory]
    [InlineData(ReduceOperation.Sum, new float[] { 6, 10 })]
    [InlineData(ReduceOperation.Average, new float[] { 1.5f, 2.5f })]
    [InlineData(ReduceOperation.Max, new float[] { 3, 4 })]
    public void AllReduce_combines_every_rank_in_place(ReduceOperation operation, float[] expected)
    {
        var results = Four.Run(g =>
        {
            // Rank r contributes [r, r + 1].
            using var t = tensor(new float[] { g.GlobalRank, g.GlobalRank + 1 });
            g.Data.AllReduce(t, operation);
            return t.data<float>().ToArray();
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void AllGather_concatenates_in_rank_order_and_ReduceScatter_returns_each_rank_its_part()
    {
        var results = Four.Run(g =>
        {
            using var mine = full(1, 2, (float)g.GlobalRank);
            using var gathered = g.Data.AllGather(mine, dimension: 0);
            using var all = arange(8, dtype: ScalarType.Float32).mul(g.GlobalRank + 1);
            using var part = g.Data.ReduceScatter(all, dimension: 0);
            return (gathered.data<float>().ToArray(), part.data<float>().ToArray());
        });

        Assert.All(results, r => Assert.Equal(new float[] { 0, 0, 1, 1, 2, 2, 3, 3 }, r.Item1));
        // Sum over ranks of (r+1)·i = 10·i; rank r keeps i = 2r, 2r+1.
        Assert.Equal(new float[] { 0, 10 }, results[0].Item2);
        Assert.Equal(new float[] { 60, 70 }, results[3].Item2);
    }

    [Fact]
    public void Broadcast_overwrites_every_rank_with_the_roots_values()
    {
        var results = Four.Run(g =>
        {
            using var t = full(3, (float)g.GlobalRank);
            g.Data.Broadcast(t, root: 2);
            return t.data<float>().ToArray();
        });

        Assert.All(results, r => Assert.Equal(new float[] { 2, 2, 2 }, r));
    }

    [Fact]
    public void Send_and_Receive_deliver_in_order_per_tag_around_a_ring()
    {
        var results = Four.Run(g =>
        {
            var next = (g.Data.Rank + 1) % 4;
            var previous = (g.Data.Rank + 3) % 4;
            g.Data.Send(full(1, 10f * g.GlobalRank), next, tag: 1);
            g.Data.Send(full(1, (10f * g.GlobalRank) + 1), next, tag: 1);
            g.Data.Send(full(1, -1f), next, tag: 2);
            using var other = g.Data.Receive(previous, tag: 2);
            using var first = g.Data.Receive(previous, tag: 1);
            using var second = g.Data.Receive(previous, tag: 1);
            return (first.item<float>(), second.item<float>(), other.item<float>());
        });

        Assert.Equal((30f, 31f, -1f), results[0]);
        Assert.Equal((0f, 1f, -1f), results[1]);
    }

    [Fact]
    public void AllToAll_moves_uneven_splits_to_their_destinations()
    {
        var results = Four.Run(g =>
        {
            // Rank i sends j + 1 rows filled with 10·i + j to rank j.
            var inputs = Enumerable.Range(0, 4).Select(j => full(j + 1, 2, (10f * g.GlobalRank) + j)).ToList();
            var received = g.Data.AllToAll(inputs);
            return received.Select(t => (t.shape[0], t[0, 0].item<float>())).ToList();
        });

        // Rank 2 receives 3 rows from each rank i, filled with 10·i + 2.
        Assert.Equal([(3L, 2f), (3L, 12f), (3L, 22f), (3L, 32f)], results[2]);
        Assert.Equal([(1L, 0f), (1L, 10f), (1L, 20f), (1L, 30f)], results[0]);
    }

    [Fact]
    public void Barrier_waits_for_every_rank()
    {
        var arrived = 0;
        var seen = Four.Run(g =>
        {
            Interlocked.Increment(ref arrived);
            g.World.Barrier();
            return Volatile.Read(ref arrived);
        });

        Assert.All(seen, s => Assert.Equal(4, s));
    }

    [Fact]
    public void A_failing_rank_wakes_the_others_and_its_error_is_rethrown()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2));

        var error = Assert.Throws<InvalidOperationException>(() => world.Run(g =>
        {
            if (g.GlobalRank == 1)
            {
                throw new InvalidOperationException("rank 1 broke");
            }

            using var t = ones(2);
            g.Data.AllReduce(t);
        }));

        Assert.Equal("rank 1 broke", error.Message);
    }

    [Fact]
    public void A_collective_that_a_rank_never_joins_times_out_instead_of_hanging()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2), timeout: TimeSpan.FromMilliseconds(300));

        Assert.Throws<TimeoutException>(() => world.Run(g =>
        {
            if (g.GlobalRank == 0)
            {
                g.Data.Barrier();
            }
        }));
    }

    [Fact]
    public void Cancelling_a_run_wakes_ranks_blocked_in_a_receive()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2));
        using var cancellation = new CancellationTokenSource();

        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        // Nobody sends and the ranks do not look at the token: only the caller's cancellation can end these waits.
        Assert.ThrowsAny<OperationCanceledException>(() => world.Run((g, _) => g.Data.Receive(source: 1 - g.Data.Rank), cancellation.Token));
    }
}
