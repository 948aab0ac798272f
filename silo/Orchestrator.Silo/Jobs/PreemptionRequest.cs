namespace Orchestrator.Silo.Jobs;

/// <summary>A preemption waiting for the running attempt to checkpoint: why, and when it is stopped regardless.</summary>
[GenerateSerializer, Immutable]
internal sealed record PreemptionRequest([property: Id(0)] string Reason, [property: Id(1)] DateTimeOffset Deadline);
