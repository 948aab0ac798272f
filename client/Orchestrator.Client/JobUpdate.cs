using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client;

/// <summary>One item of a watch: a new event, or new progress (exactly one of the two is set).</summary>
/// <param name="Event">A new event.</param>
/// <param name="Progress">New progress.</param>
/// <param name="State">The job's state when the item was produced.</param>
public sealed record JobUpdate(JobEvent? Event, JobProgress? Progress, JobState State);
