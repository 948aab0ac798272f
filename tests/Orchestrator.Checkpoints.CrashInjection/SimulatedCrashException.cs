namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>Thrown by <see cref="DyingFaults"/> at its crash point and at every store change after it: the process is "dead".</summary>
internal sealed class SimulatedCrashException(string message) : Exception(message);
