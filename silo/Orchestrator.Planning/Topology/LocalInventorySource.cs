namespace Orchestrator.Planning.Topology;

/// <summary>Offers this machine as the cluster (see <see cref="LocalInventory"/>).</summary>
public sealed class LocalInventorySource : IInventorySource
{
    private readonly int _deviceCount;

    /// <summary>Creates the source.</summary>
    /// <param name="deviceCount">CPU stand-in devices to offer, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceCount"/> is below 1.</exception>
    public LocalInventorySource(int deviceCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deviceCount, 1);
        _deviceCount = deviceCount;
    }

    /// <inheritdoc />
    public Task<ClusterTopology> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(LocalInventory.Create(_deviceCount));
    }
}
