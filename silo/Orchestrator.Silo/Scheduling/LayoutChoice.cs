using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>A layout the planner picked for a number of devices, and how long the job would run with it.</summary>
/// <param name="Layout">The chosen layout; its world size is at most the devices offered.</param>
/// <param name="EstimatedRuntime">Predicted step time x remaining steps, or null when unknown.</param>
internal sealed record LayoutChoice(ParallelLayout Layout, TimeSpan? EstimatedRuntime);
