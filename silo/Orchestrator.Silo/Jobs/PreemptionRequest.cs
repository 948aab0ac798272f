namespace Orchestrator.Silo.Jobs;

/// <summary>
/// A preemption waiting for the running attempt to checkpoint: why, and when it is stopped regardless. With
/// <see cref="Suspend"/> (<c>orch suspend</c>) the job then waits in Suspended instead of being requeued.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed record PreemptionRequest([property: Id(0)] string Reason, [property: Id(1)] DateTimeOffset Deadline, [property: Id(2)] bool Suspend = false);
