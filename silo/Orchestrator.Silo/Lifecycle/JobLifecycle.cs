using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Lifecycle;

/// <summary>
/// One job's state, attempt number and event log, moved only through <see cref="JobStateMachine"/>. Each entry into
/// <see cref="JobState.Starting"/> opens a new numbered attempt; the number fences workers of earlier attempts.
/// </summary>
internal sealed class JobLifecycle
{
    private readonly List<JobLifecycleEvent> _events;

    /// <summary>A new job: Pending, no attempt yet, no events.</summary>
    public JobLifecycle()
        : this(JobState.Pending, 0, [])
    {
    }

    private JobLifecycle(JobState state, int attempt, List<JobLifecycleEvent> events)
    {
        State = state;
        Attempt = attempt;
        _events = events;
    }

    public JobState State { get; private set; }

    /// <summary>The current attempt number; 0 before the first launch.</summary>
    public int Attempt { get; private set; }

    public IReadOnlyList<JobLifecycleEvent> Events => _events;

    public bool IsTerminal => JobStateMachine.IsTerminal(State);

    /// <summary>Moves to <paramref name="next"/> if allowed, recording the event.</summary>
    /// <param name="error">Why the move was refused; null when it happened.</param>
    public bool TryMove(JobState next, DateTimeOffset at, string reason, out JobLifecycleEvent? recorded, out string? error)
    {
        recorded = null;
        if (string.IsNullOrWhiteSpace(reason))
        {
            error = "a transition needs a reason";
            return false;
        }

        if (_events.Count > 0 && at < _events[^1].Time)
        {
            error = $"transition time {at:O} is before the last event at {_events[^1].Time:O}";
            return false;
        }

        if (!JobStateMachine.TryTransition(State, next, out error))
        {
            return false;
        }

        if (next == JobState.Starting)
        {
            Attempt++;
        }

        recorded = new JobLifecycleEvent(at, State, next, reason, Attempt);
        _events.Add(recorded);
        State = next;
        return true;
    }

    /// <summary>Like <see cref="TryMove"/>, but throws <see cref="InvalidOperationException"/> when refused.</summary>
    public JobLifecycleEvent Move(JobState next, DateTimeOffset at, string reason) =>
        TryMove(next, at, reason, out var recorded, out var error) ? recorded! : throw new InvalidOperationException(error);

    /// <summary>Rebuilds a lifecycle from its persisted events, replaying each through the state machine.</summary>
    public static JobLifecycle Restore(IEnumerable<JobLifecycleEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lifecycle = new JobLifecycle();
        foreach (var recorded in events)
        {
            if (recorded.From != lifecycle.State)
            {
                throw new ArgumentException($"event at {recorded.Time:O} starts from {recorded.From} but the job was {lifecycle.State}", nameof(events));
            }

            var replayed = lifecycle.Move(recorded.To, recorded.Time, recorded.Reason);
            if (replayed.Attempt != recorded.Attempt)
            {
                throw new ArgumentException($"event at {recorded.Time:O} says attempt {recorded.Attempt}, replay gives {replayed.Attempt}", nameof(events));
            }
        }

        return lifecycle;
    }
}
