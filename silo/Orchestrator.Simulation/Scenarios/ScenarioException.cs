namespace Orchestrator.Simulation.Scenarios;

/// <summary>A scenario file that cannot be simulated; the message names the field, the line and what is allowed.</summary>
public sealed class ScenarioException(string message) : Exception(message);
