namespace Orchestrator.Simulation.Scenarios;

/// <summary>The restart policy every simulated job gets (the lifecycle's <c>RestartPolicy</c>).</summary>
/// <param name="MaxAttempts">Attempts in all; infrastructure failures count.</param>
/// <param name="BackoffSeconds">Wait after the first failed attempt; doubles each time.</param>
/// <param name="MaxBackoffSeconds">The longest wait.</param>
internal sealed record RestartScenario(int MaxAttempts = 100, double BackoffSeconds = 10, double MaxBackoffSeconds = 300);
