namespace Orchestrator.Benchmarks;

/// <summary>The summaries every suite reports: medians of repetitions and nearest-rank percentiles of latencies.</summary>
internal static class Statistics
{
    /// <summary>The middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile of values already sorted ascending: the smallest value with at least <paramref name="quantile"/> of them at or below it; NaN for none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
