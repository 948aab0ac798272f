using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>A waiting job and its place in FIFO order.</summary>
[GenerateSerializer, Immutable]
internal sealed record WaitingRecord([property: Id(0)] QueuedJob Job, [property: Id(1)] long Sequence);
