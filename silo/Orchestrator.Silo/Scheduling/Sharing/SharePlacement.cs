namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>Where a task goes: a node (index in the cluster) and the devices on it (indexes on the node).</summary>
internal sealed record SharePlacement(int Node, IReadOnlyList<int> Gpus);
