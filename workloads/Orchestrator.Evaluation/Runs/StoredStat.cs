using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Runs;

/// <summary>A <see cref="Stat"/>'s fields as stored.</summary>
internal sealed record StoredStat(MetricName Name, int Count, double Sum, double SumSquared, double? Min, double? Max);
