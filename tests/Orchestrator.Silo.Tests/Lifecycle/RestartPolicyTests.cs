using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Tests.Lifecycle;

public sealed class RestartPolicyTests
{
    private readonly RestartPolicy _policy = new(maxAttempts: 6, TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromSeconds(60));

    [Fact]
    public void Delays_grow_exponentially_up_to_the_cap()
    {
        var delays = Enumerable.Range(1, 6).Select(a => _policy.NextDelay(a).TotalSeconds);

        Assert.Equal([10, 20, 40, 60, 60, 60], delays);
    }

    [Fact]
    public void Very_late_attempts_stay_at_the_cap_instead_of_overflowing()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), _policy.NextDelay(10_000));
    }

    [Fact]
    public void Faults_are_retried_until_the_last_attempt()
    {
        Assert.True(_policy.ShouldRestart(1, AttemptEndReason.WorkerExited));
        Assert.True(_policy.ShouldRestart(5, AttemptEndReason.HeartbeatLost));
        Assert.False(_policy.ShouldRestart(6, AttemptEndReason.DeviceFailed));
        Assert.False(_policy.ShouldRestart(7, AttemptEndReason.LaunchFailed));
    }

    [Theory]
    [InlineData(nameof(AttemptEndReason.Cancelled))]
    [InlineData(nameof(AttemptEndReason.SpecError))]
    [InlineData(nameof(AttemptEndReason.TimeLimitExceeded))]
    public void Cancels_spec_errors_and_time_limits_are_never_retried(string reason)
    {
        var decision = _policy.Decide(1, Enum.Parse<AttemptEndReason>(reason));

        Assert.False(decision.Restart);
        Assert.Contains("not restarted", decision.Explanation);
    }

    [Fact]
    public void Preemption_is_always_requeued_at_once()
    {
        var decision = _policy.Decide(6, AttemptEndReason.Preempted);

        Assert.Equal((true, TimeSpan.Zero), (decision.Restart, decision.Delay));
    }

    [Fact]
    public void A_retry_decision_carries_the_backoff_delay_and_says_why()
    {
        var decision = _policy.Decide(3, AttemptEndReason.WorkerExited);

        Assert.Equal(TimeSpan.FromSeconds(40), decision.Delay);
        Assert.Contains("attempt 3 of 6", decision.Explanation);
    }

    [Fact]
    public void Attempt_numbers_start_at_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _policy.NextDelay(0));
    }

    [Theory]
    [InlineData(0, 10, 2.0, 60, "restart.maxAttempts")]
    [InlineData(3, -1, 2.0, 60, "restart.initialDelay")]
    [InlineData(3, 10, 0.5, 60, "restart.multiplier")]
    [InlineData(3, 10, double.NaN, 60, "restart.multiplier")]
    [InlineData(3, 10, 2.0, 5, "restart.maxDelay")]
    public void Bad_settings_are_refused_naming_the_field(int maxAttempts, int initialSeconds, double multiplier, int maxSeconds, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RestartPolicy(maxAttempts, TimeSpan.FromSeconds(initialSeconds), multiplier, TimeSpan.FromSeconds(maxSeconds)));
        Assert.Contains(field, error.Message);
    }
}
