namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// The planner's hook for <c>parallelism: auto</c>: the best layout using at most <paramref name="availableDevices"/>
/// devices, or null when no layout fits in that many. Must be pure: the pass may call it several times per job.
/// </summary>
internal delegate LayoutChoice? LayoutChooser(int availableDevices);
