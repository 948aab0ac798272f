using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Lifecycle;

/// <summary>One transition of a job, as recorded in its event log.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why, in words a user can act on.</param>
/// <param name="Attempt">The attempt number at the time (0 before the first launch).</param>
internal sealed record JobLifecycleEvent(DateTimeOffset Time, JobState From, JobState To, string Reason, int Attempt);
