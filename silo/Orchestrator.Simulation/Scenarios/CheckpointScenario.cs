namespace Orchestrator.Simulation.Scenarios;

/// <summary>What checkpointing and restarting cost a job.</summary>
/// <param name="IntervalSeconds">Seconds of work between checkpoints; 0 for none (a failure loses the whole attempt).</param>
/// <param name="SaveSeconds">Wall-clock seconds a save stalls training.</param>
/// <param name="RestartSeconds">Wall-clock seconds from placement to the first step of every attempt after the first (launch, load).</param>
internal sealed record CheckpointScenario(double IntervalSeconds = 1800, double SaveSeconds = 60, double RestartSeconds = 300);
