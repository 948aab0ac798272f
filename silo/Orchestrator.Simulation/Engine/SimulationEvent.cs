namespace Orchestrator.Simulation.Engine;

/// <summary>Something that happens at a virtual time (seconds from the start of the run).</summary>
/// <param name="Time">When, in seconds of virtual time.</param>
/// <param name="Kind">What happens.</param>
/// <param name="JobId">The job concerned, or null.</param>
/// <param name="Attempt">The attempt an attempt-bound event belongs to; a stale one (the attempt already ended) is dropped.</param>
/// <param name="DeviceId">The device concerned, or null.</param>
internal readonly record struct SimulationEvent(double Time, EventKind Kind, string? JobId = null, int Attempt = 0, string? DeviceId = null);
