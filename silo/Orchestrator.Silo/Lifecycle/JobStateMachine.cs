using System.Collections.Frozen;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Lifecycle;

/// <summary>
/// The allowed moves between <see cref="JobState"/>s. The main line is Pending → Planning → Placed → Starting →
/// Running → Succeeded; an attempt that ends early goes Running → Recovering → Placed (Starting → Recovering when the
/// launch fails, Placed → Recovering when devices are taken back before launch); Planning → Pending when nothing fits;
/// Failed from any point where the job is found unable to run (Pending → Failed when a dependency failed); Cancelled
/// from every non-terminal state. Suspended (Kueue's <c>suspend</c>) is reached from a waiting or running job and left
/// by resuming (→ Pending: queued again) or by ending. Terminal states are final.
/// </summary>
internal static class JobStateMachine
{
    private static readonly FrozenDictionary<JobState, FrozenSet<JobState>> Allowed = new Dictionary<JobState, FrozenSet<JobState>>
    {
        [JobState.Pending] = Set(JobState.Planning, JobState.Failed, JobState.Suspended, JobState.Cancelled),
        [JobState.Planning] = Set(JobState.Placed, JobState.Pending, JobState.Failed, JobState.Cancelled),
        [JobState.Placed] = Set(JobState.Starting, JobState.Recovering, JobState.Cancelled),
        [JobState.Starting] = Set(JobState.Running, JobState.Recovering, JobState.Failed, JobState.Suspended, JobState.Cancelled),
        [JobState.Running] = Set(JobState.Succeeded, JobState.Failed, JobState.Recovering, JobState.Suspended, JobState.Cancelled),
        [JobState.Recovering] = Set(JobState.Placed, JobState.Failed, JobState.Suspended, JobState.Cancelled),
        [JobState.Suspended] = Set(JobState.Pending, JobState.Failed, JobState.Cancelled),
        [JobState.Succeeded] = Set(),
        [JobState.Failed] = Set(),
        [JobState.Cancelled] = Set(),
    }.ToFrozenDictionary();

    public static bool IsTerminal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>The states <paramref name="from"/> may move to.</summary>
    public static IReadOnlySet<JobState> Next(JobState from) =>
        Allowed.TryGetValue(from, out var next) ? next : throw new ArgumentOutOfRangeException(nameof(from), from, "not a job state");

    /// <summary>Whether <paramref name="current"/> may move to <paramref name="next"/>.</summary>
    /// <param name="error">Why not, naming both states and what is allowed; null when allowed.</param>
    public static bool TryTransition(JobState current, JobState next, out string? error)
    {
        if (!Enum.IsDefined(current))
        {
            error = $"current state {(int)current} is not a job state";
            return false;
        }

        if (!Enum.IsDefined(next))
        {
            error = $"next state {(int)next} is not a job state";
            return false;
        }

        var allowed = Allowed[current];
        if (allowed.Contains(next))
        {
            error = null;
            return true;
        }

        error = IsTerminal(current)
            ? $"a job in {current} cannot move to {next}: {current} is final"
            : $"a job in {current} cannot move to {next}; allowed: {string.Join(", ", allowed.Order())}";
        return false;
    }

    private static FrozenSet<JobState> Set(params JobState[] states) => states.ToFrozenSet();
}
