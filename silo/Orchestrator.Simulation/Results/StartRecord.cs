namespace Orchestrator.Simulation.Results;

/// <summary>A start decision as applied: when, which job, which attempt, on which devices (rank order).</summary>
internal sealed record StartRecord(double Seconds, string JobId, int Attempt, IReadOnlyList<string> DeviceIds, bool Backfilled);
