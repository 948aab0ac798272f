using Orchestrator.Kernels.Communication;

namespace Orchestrator.Kernels.Tests.Communication;

/// <summary>
/// A lost peer is recognised whatever path it took to the caller: the ranks of a process it woke carry it as the cause
/// of their cancellation, and which rank's exception surfaces first is a race.
/// </summary>
public sealed class CollectiveFailureTests
{
    private static readonly CollectiveFailedException PeerGone = new("AllReduce with process 1 (world ranks 4,5,6,7) failed: Connection reset by peer");

    [Fact]
    public void A_collective_failure_is_found_at_any_depth_of_causes_and_inside_aggregates()
    {
        var woken = new OperationCanceledException("AllReduce on group world was abandoned because another rank failed", PeerGone);
        var twiceWoken = new OperationCanceledException("Receive from member 4 was abandoned", woken);

        Assert.Same(PeerGone, CollectiveFailedException.FindIn(PeerGone));
        Assert.Same(PeerGone, CollectiveFailedException.FindIn(twiceWoken));
        Assert.Same(PeerGone, CollectiveFailedException.FindIn(new AggregateException(new InvalidOperationException("other"), twiceWoken)));
        Assert.Null(CollectiveFailedException.FindIn(new OperationCanceledException("cancelled by the user", new TimeoutException())));
        Assert.Null(CollectiveFailedException.FindIn(null));
    }

    [Fact]
    public void When_every_rank_only_reports_cancellations_the_run_rethrows_the_collective_failure_they_carry()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2));

        // No rank threw the failure itself: one was woken twice over (its cause is a cancellation carrying the failure),
        // the other plainly cancelled.
        var thrown = Assert.Throws<CollectiveFailedException>(() => world.Run(g =>
        {
            if (g.GlobalRank == 0) throw new OperationCanceledException("Receive from member 1 was abandoned", new OperationCanceledException("woken", PeerGone));
            throw new OperationCanceledException("woken");
        }));

        Assert.Same(PeerGone, thrown);
    }
}
