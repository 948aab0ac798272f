namespace Orchestrator.Simulation.Scenarios;

/// <summary>A named queue jobs are submitted to, with its fair-share weight.</summary>
internal sealed record QueueScenario(string Name, double Weight = 1);
