namespace Orchestrator.Contracts.Jobs;

/// <summary>How often and how soon a failed attempt is retried.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="BackoffSeconds">Delay before the second attempt; doubles each time.</param>
/// <param name="MaxBackoffSeconds">Cap on the delay.</param>
[GenerateSerializer, Immutable]
public sealed record RestartPolicySpec(
    [property: Id(0)] int MaxAttempts = 3,
    [property: Id(1)] double BackoffSeconds = 1,
    [property: Id(2)] double MaxBackoffSeconds = 60);
