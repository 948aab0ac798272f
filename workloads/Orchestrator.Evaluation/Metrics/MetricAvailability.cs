namespace Orchestrator.Evaluation.Metrics;

/// <summary>Whether a HELM metric is computed here, and if not, why (reported in place of a value, never faked).</summary>
/// <param name="Name">HELM's metric (or metric group) name.</param>
/// <param name="Computed">True when the library computes it.</param>
/// <param name="Reason">Why it is not computed; null when it is.</param>
public sealed record MetricAvailability(string Name, bool Computed, string? Reason = null);
