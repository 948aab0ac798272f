namespace Orchestrator.Silo.Lifecycle;

/// <summary>
/// How often and how soon a job is retried after an attempt ends early: at most <see cref="MaxAttempts"/> attempts,
/// waiting <see cref="InitialDelay"/> x <see cref="Multiplier"/>^(attempt-1), capped at <see cref="MaxDelay"/>.
/// Cancels, spec errors, exceeded time limits and exit codes the job's <c>onExitCodes</c> says fail are never retried;
/// preemption always is, at once, and an interruption (charged to neither job nor devices) always is, after the
/// backoff; neither uses up an attempt's worth of the limit (the caller does not count them as failures).
/// </summary>
internal sealed record RestartPolicy
{
    public RestartPolicy(int maxAttempts, TimeSpan initialDelay, double multiplier, TimeSpan maxDelay)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "restart.maxAttempts must be at least 1 (1 means never restart)");
        }

        if (initialDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initialDelay), initialDelay, "restart.initialDelay must not be negative");
        }

        if (!(multiplier >= 1.0) || double.IsInfinity(multiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "restart.multiplier must be a finite number of at least 1");
        }

        if (maxDelay < initialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, $"restart.maxDelay must be at least restart.initialDelay ({initialDelay})");
        }

        MaxAttempts = maxAttempts;
        InitialDelay = initialDelay;
        Multiplier = multiplier;
        MaxDelay = maxDelay;
    }

    /// <summary>Three attempts, 10 s then 20 s apart, never more than 5 minutes.</summary>
    public static RestartPolicy Default { get; } = new(3, TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromMinutes(5));

    /// <summary>The policy a job's spec asks for: its attempts and backoff, doubling each time.</summary>
    public static RestartPolicy For(Contracts.Jobs.RestartPolicySpec spec) =>
        new(spec.MaxAttempts, TimeSpan.FromSeconds(spec.BackoffSeconds), 2.0, TimeSpan.FromSeconds(spec.MaxBackoffSeconds));

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; }

    public TimeSpan InitialDelay { get; }

    public double Multiplier { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based) before the next.</summary>
    public TimeSpan NextDelay(int attempt)
    {
        ValidateAttempt(attempt);

        // Computed in doubles so large attempt numbers saturate at the cap instead of overflowing.
        var ticks = InitialDelay.Ticks * Math.Pow(Multiplier, attempt - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Whether attempt number <paramref name="attempt"/>, which ended for <paramref name="reason"/>, gets a successor.</summary>
    public bool ShouldRestart(int attempt, AttemptEndReason reason) => Decide(attempt, reason).Restart;

    /// <summary>The full decision with its delay and an explanation for the event log.</summary>
    /// <param name="attempt">Failed attempts so far, this one included (preempted and interrupted attempts not counted;
    /// at least 1, which also sets an interruption's backoff).</param>
    /// <param name="reason">Why this attempt ended.</param>
    public RestartDecision Decide(int attempt, AttemptEndReason reason)
    {
        ValidateAttempt(attempt);
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "not an attempt end reason");
        }

        return reason switch
        {
            AttemptEndReason.Cancelled => new(false, TimeSpan.Zero, "cancelled by a user; not restarted"),
            AttemptEndReason.SpecError => new(false, TimeSpan.Zero, "the spec cannot run as written; not restarted"),
            AttemptEndReason.TimeLimitExceeded => new(false, TimeSpan.Zero, "ran past its time limit; not restarted"),
            AttemptEndReason.ExitCodeRule => new(false, TimeSpan.Zero, "restartPolicy.onExitCodes says fail for this exit code; not restarted"),
            AttemptEndReason.Preempted => new(true, TimeSpan.Zero, "preempted; requeued"),
            AttemptEndReason.Interrupted => new(true, NextDelay(attempt), $"not counted against the {MaxAttempts} attempt(s); retrying in {NextDelay(attempt)}"),
            _ when attempt >= MaxAttempts => new(false, TimeSpan.Zero, $"{reason} on attempt {attempt} of {MaxAttempts}; no attempts left"),
            _ => new(true, NextDelay(attempt), $"{reason} on attempt {attempt} of {MaxAttempts}; retrying in {NextDelay(attempt)}"),
        };
    }

    private static void ValidateAttempt(int attempt)
    {
        if (attempt < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt numbers start at 1");
        }
    }
}
