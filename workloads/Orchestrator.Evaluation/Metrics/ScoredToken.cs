namespace Orchestrator.Evaluation.Metrics;

/// <summary>A token of a completion and its log-probability (natural log). Byte tokens are spelled <c>bytes:\xNN...</c>.</summary>
/// <param name="Text">Token text.</param>
/// <param name="LogProbability">Natural-log probability the model gave it.</param>
public sealed record ScoredToken(string Text, double LogProbability);
