namespace Orchestrator.Silo.Scheduling;

/// <summary>One queued job: the persisted form of the queues.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Queue">The named queue it was submitted to (e.g. <c>research</c>).</param>
/// <param name="Priority">Higher first.</param>
/// <param name="Sequence">Submit order, unique across queues; lower first among equal priorities.</param>
internal sealed record QueueEntry(string JobId, string Queue, int Priority, long Sequence);
