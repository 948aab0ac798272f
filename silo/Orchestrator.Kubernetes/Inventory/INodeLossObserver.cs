namespace Orchestrator.Kubernetes.Inventory;

/// <summary>Told at once when a node stops taking work (NotReady, cordoned, tainted, deleted), so its attempts end now.</summary>
internal interface INodeLossObserver
{
    Task OnNodeUnavailableAsync(string node, string reason, CancellationToken cancellationToken);
}
