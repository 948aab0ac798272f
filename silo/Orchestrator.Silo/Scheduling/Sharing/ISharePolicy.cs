namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>Chooses where a task goes among the nodes that can hold it.</summary>
internal interface ISharePolicy
{
    /// <summary>The policy's name in benchmark figures and configuration (e.g. <c>fgd</c>, <c>best-fit</c>).</summary>
    string Name { get; }

    /// <summary>A placement for <paramref name="task"/>, or null when no node can hold it. Does not change the nodes.</summary>
    SharePlacement? Choose(IReadOnlyList<ShareNode> nodes, ShareTask task);
}
