using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Heim;

/// <summary>One of HEIM's twelve aspects and the metrics that measure it, each computed here or not (with the reason).</summary>
/// <param name="Name">The aspect (alignment, quality, ...).</param>
/// <param name="Metrics">Its metrics.</param>
public sealed record HeimAspect(string Name, IReadOnlyList<MetricAvailability> Metrics);
