namespace Orchestrator.Planning.Topology;

/// <summary>
/// Where the cluster's description comes from: the local machine, an inventory file, or (later) the Kubernetes
/// API's node labels. The cluster grain loads it on activation and on refresh.
/// </summary>
public interface IInventorySource
{
    /// <summary>Reads the current description of the cluster.</summary>
    /// <exception cref="InventoryException">The description is invalid.</exception>
    Task<ClusterTopology> LoadAsync(CancellationToken cancellationToken);
}
