using Orchestrator.Checkpoints.Interval;

namespace Orchestrator.Checkpoints.Tests;

public sealed class CheckpointIntervalTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Young_daly_is_the_square_root_of_twice_cost_times_mtbf()
    {
        // C = 2 s, MTBF = 3 h (Llama 3's interruption rate): sqrt(2 * 2 * 10800) = sqrt(43200) ≈ 207.85 s.
        var interval = CheckpointInterval.YoungDaly(TimeSpan.FromSeconds(2), TimeSpan.FromHours(3));

        Assert.Equal(Math.Sqrt(43_200), interval.TotalSeconds, 6);
    }

    [Fact]
    public void Quadrupling_the_cost_doubles_the_interval()
    {
        var one = CheckpointInterval.YoungDaly(TimeSpan.FromSeconds(1), Hour);
        var four = CheckpointInterval.YoungDaly(TimeSpan.FromSeconds(4), Hour);

        Assert.Equal(2 * one.TotalSeconds, four.TotalSeconds, 6);
    }

    [Fact]
    public void A_free_checkpoint_gives_a_zero_interval()
    {
        Assert.Equal(TimeSpan.Zero, CheckpointInterval.YoungDaly(TimeSpan.Zero, Hour));
    }

    [Fact]
    public void A_cost_of_twice_the_mtbf_or_more_falls_back_to_the_mtbf()
    {
        Assert.Equal(Hour, CheckpointInterval.YoungDaly(TimeSpan.FromHours(2), Hour));
        Assert.Equal(Hour, CheckpointInterval.YoungDaly(TimeSpan.FromHours(5), Hour));
        // Just below the limit the formula still applies: sqrt(2 * 1.99h * 1h) < 2h.
        Assert.True(CheckpointInterval.YoungDaly(TimeSpan.FromHours(1.99), Hour) > Hour);
    }

    [Fact]
    public void Negative_cost_or_non_positive_mtbf_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointInterval.YoungDaly(TimeSpan.FromSeconds(-1), Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointInterval.YoungDaly(TimeSpan.FromSeconds(1), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointInterval.Auto(TimeSpan.FromSeconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointInterval.EverySteps(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointInterval.Every(TimeSpan.Zero));
    }

    [Fact]
    public void Step_intervals_are_due_every_n_steps_and_never_twice_at_one_step()
    {
        var every = CheckpointInterval.EverySteps(100);

        Assert.False(every.IsDue(99, Hour, null));
        Assert.True(every.IsDue(100, TimeSpan.Zero, null));
        Assert.False(CheckpointInterval.Every(TimeSpan.FromSeconds(1)).IsDue(0, Hour, null));
    }

    [Fact]
    public void Time_intervals_are_due_once_the_period_has_passed()
    {
        var every = CheckpointInterval.Every(TimeSpan.FromMinutes(30));

        Assert.False(every.IsDue(5000, TimeSpan.FromMinutes(29), null));
        Assert.True(every.IsDue(1, TimeSpan.FromMinutes(30), null));
    }

    [Fact]
    public void Auto_is_due_at_once_before_any_stall_is_measured_then_after_the_young_daly_interval()
    {
        var auto = CheckpointInterval.Auto(TimeSpan.FromHours(3));
        var stall = TimeSpan.FromSeconds(2); // interval ≈ 207.8 s

        Assert.True(auto.IsDue(1, TimeSpan.Zero, measuredStall: null));
        Assert.False(auto.IsDue(50, TimeSpan.FromSeconds(207), stall));
        Assert.True(auto.IsDue(50, TimeSpan.FromSeconds(208), stall));
        Assert.Equal(Math.Sqrt(43_200), auto.CurrentPeriod(stall)!.Value.TotalSeconds, 6);
        Assert.Null(auto.CurrentPeriod(null));
    }
}
