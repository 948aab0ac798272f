using Orchestrator.Silo.Jobs;

namespace Orchestrator.Silo.Tests.Jobs;

public sealed class GoodputLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Steps_rolled_back_by_a_recovery_move_from_useful_to_redone_time()
    {
        var ledger = new GoodputLedger();
        for (var i = 0; i < 10; i++) ledger.Stepped(2.0);
        ledger.Stalled(0.5);

        // Checkpoint at step 6, failure after step 10: steps 7-10 are trained again.
        var redone = ledger.Resumed(resumedAt: 6, reached: 10);
        for (var i = 0; i < 14; i++) ledger.Stepped(2.0);

        Assert.Equal(4, redone);
        var view = ledger.View(Start, Start.AddSeconds(60));
        Assert.Equal(40.0, view.UsefulSeconds, 9);
        Assert.Equal(8.0, view.RedoneSeconds, 9);
        Assert.Equal(0.5, view.StallSeconds, 9);
        Assert.Equal(4, view.StepsRedone);
        Assert.Equal(1, view.Recoveries);
        Assert.Equal(40.0 / 60.0, view.Ratio, 9);
    }

    [Fact]
    public void A_restart_without_a_checkpoint_loses_everything_and_is_not_a_recovery()
    {
        var ledger = new GoodputLedger();
        for (var i = 0; i < 5; i++) ledger.Stepped(1.0);

        Assert.Equal(5, ledger.Resumed(resumedAt: 0, reached: 5));
        var view = ledger.View(Start, Start.AddSeconds(10));
        Assert.Equal(0.0, view.UsefulSeconds, 9);
        Assert.Equal(5.0, view.RedoneSeconds, 9);
        Assert.Equal(0, view.Recoveries);
    }

    [Fact]
    public void Resuming_exactly_where_training_stopped_redoes_nothing()
    {
        var ledger = new GoodputLedger();
        for (var i = 0; i < 8; i++) ledger.Stepped(1.0);

        Assert.Equal(0, ledger.Resumed(resumedAt: 8, reached: 8));
        var view = ledger.View(Start, Start.AddSeconds(16));
        Assert.Equal(8.0, view.UsefulSeconds, 9);
        Assert.Equal(0.5, view.Ratio, 9);
        Assert.Equal(1, view.Recoveries);
    }

    [Fact]
    public void Before_the_first_attempt_there_is_no_wall_time_and_no_ratio()
    {
        var view = new GoodputLedger().View(null, Start);
        Assert.Equal(0, view.WallSeconds);
        Assert.Equal(0, view.Ratio);
    }
}
