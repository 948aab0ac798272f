namespace Orchestrator.Benchmarks;

/// <summary>One measured figure. <paramref name="Detail"/> carries extra columns (inputs, the figure it is compared with).</summary>
internal sealed record BenchmarkResult(string Name, double Value, string Unit, IReadOnlyDictionary<string, object>? Detail = null);
