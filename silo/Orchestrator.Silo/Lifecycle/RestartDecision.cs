namespace Orchestrator.Silo.Lifecycle;

/// <summary>Whether an ended attempt is followed by another, and when.</summary>
/// <param name="Restart">True to go Recovering and requeue; false to fail (or stay cancelled).</param>
/// <param name="Delay">How long to wait before the job may be placed again.</param>
/// <param name="Explanation">Why, for the job's event log.</param>
internal sealed record RestartDecision(bool Restart, TimeSpan Delay, string Explanation);
