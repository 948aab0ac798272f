namespace Orchestrator.Silo.Scheduling;

/// <summary>Everything <see cref="JobQueues"/> needs to be rebuilt after a restart.</summary>
/// <param name="Entries">Queued jobs in scheduling order.</param>
/// <param name="NextSequence">The sequence the next submitted job gets, so order survives a restart with an empty queue.</param>
internal sealed record QueueSnapshot(IReadOnlyList<QueueEntry> Entries, long NextSequence);
