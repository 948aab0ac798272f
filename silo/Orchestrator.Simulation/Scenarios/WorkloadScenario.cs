namespace Orchestrator.Simulation.Scenarios;

/// <summary>Where the jobs come from: exactly one of a pod trace (Alibaba GPU trace format) or a synthetic mix.</summary>
/// <param name="TracePath">Absolute path of the trace's pod CSV, or null.</param>
/// <param name="Synthetic">The synthetic mix's parameters, or null.</param>
/// <param name="TraceGpuType">GPU type trace pods ask for (the trace's own types are not the cluster's); null for any.</param>
internal sealed record WorkloadScenario(string? TracePath, SyntheticWorkload? Synthetic, string? TraceGpuType = null);
