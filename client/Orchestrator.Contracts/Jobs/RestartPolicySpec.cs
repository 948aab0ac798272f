namespace Orchestrator.Contracts.Jobs;

/// <summary>How often and how soon a failed attempt is retried.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="BackoffSeconds">Delay before the second attempt; doubles each time.</param>
/// <param name="MaxBackoffSeconds">Cap on the delay.</param>
/// <param name="OnExitCodes">Per exit code of the job's own program, what to do instead of the default retry
/// (e.g. <c>42: fail</c>); null or empty for none.</param>
[GenerateSerializer, Immutable]
public sealed record RestartPolicySpec(
    [property: Id(0)] int MaxAttempts = 3,
    [property: Id(1)] double BackoffSeconds = 1,
    [property: Id(2)] double MaxBackoffSeconds = 60,
    [property: Id(3)] IReadOnlyDictionary<int, ExitCodeAction>? OnExitCodes = null)
{
    /// <summary>The action for a program's exit <paramref name="exitCode"/>: the one listed, else <see cref="ExitCodeAction.Retry"/>.</summary>
    public ExitCodeAction ActionFor(int exitCode) =>
        OnExitCodes is { } rules && rules.TryGetValue(exitCode, out var action) ? action : ExitCodeAction.Retry;
}
